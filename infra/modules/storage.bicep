// The Function App's storage account: host storage (AzureWebJobsStorage), Durable Functions task hub,
// the platform's tables/queues/blobs, and the Flex Consumption deployment container. Shared keys are
// disabled: every client authenticates with Microsoft Entra ID.
@description('Azure region.')
param location string

@description('Storage account name (3-24 lower-case letters and digits).')
@minLength(3)
@maxLength(24)
param storageAccountName string

@description('Blob container the Flex Consumption plan deploys the app package from.')
param deploymentContainerName string

@description('Storage redundancy.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
])
param skuName string

@description('Days an audit anchor stays immutable (regulators commonly ask for 7 years of records).')
@minValue(1)
param auditAnchorRetentionDays int = 2557

@description('Tags for every resource.')
param tags object

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: storageAccountName
  location: location
  tags: tags
  sku: {
    name: skuName
  }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

// Workshop photos and videos (BlobSasLinks): private; clients reach single blobs only through short-lived signed links.
// The app also creates it on first use (local runs, a ResourcePrefix); declared here so it exists with the deployment.
resource workshopMediaContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: blobService
  name: 'workshop-media'
  properties: {
    publicAccess: 'None'
  }
}

// Showroom vehicle photos (VehiclePhotoLinks): private like the workshop media, reached through signed links only.
resource showroomPhotosContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: blobService
  name: 'showroom-photos'
  properties: {
    publicAccess: 'None'
  }
}

// Audit chain heads (BlobAuditAnchorStore): append blobs under a time-based retention policy that allows only
// appends, so no identity, the platform's included, can change or delete an anchor while it is retained.
resource auditAnchorContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: blobService
  name: 'audit-anchors'
  properties: {
    publicAccess: 'None'
  }
}

resource auditAnchorRetention 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2025-06-01' = {
  parent: auditAnchorContainer
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: auditAnchorRetentionDays
    allowProtectedAppendWrites: true
  }
}

output storageAccountName string = storage.name
output blobEndpoint string = storage.properties.primaryEndpoints.blob
output deploymentContainerName string = deploymentContainer.name
