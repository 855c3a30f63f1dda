// Role assignments that let the Function App's managed identity use every service without keys, and
// optionally give an operator (a user or group) the data-plane roles the deploy guide needs.
@description('Principal id of the Function App\'s system-assigned identity.')
param appPrincipalId string

@description('Optional operator principal (user, group or service principal) for the deploy guide\'s data-plane steps; empty for none.')
param operatorPrincipalId string

@description('Type of the operator principal.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param operatorPrincipalType string

@description('The app\'s storage account.')
param storageAccountName string

@description('Cosmos DB account.')
param cosmosAccountName string

@description('Service Bus namespace.')
param serviceBusNamespaceName string

@description('IoT Hub.')
param iotHubName string

@description('Key Vault holding the referenced secrets.')
param keyVaultName string

@description('Application Insights component.')
param appInsightsName string

@description('Azure Communication Services resource the app sends notifications through.')
param communicationName string

@description('Azure AI Search service of the showroom\'s vehicle search.')
param searchServiceName string

// Built-in role definition ids (identical in every Azure cloud).
var roleIds = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  serviceBusDataSender: '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'
  serviceBusDataReceiver: '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0'
  iotHubDataContributor: '4fc6c259-987e-4a07-842e-c321cc9d413f'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  searchIndexDataContributor: '8ebe5a00-799e-43f5-93ac-243d3dce84a7'
  searchServiceContributor: '7ca78c08-252a-4471-8644-bb5ff32d4ba0'
  // ACS documents Contributor on the resource for Entra ID (managed identity) calls to its data plane.
  contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c'
}

// Cosmos DB data-plane built-in role "Cosmos DB Built-in Data Contributor".
var cosmosDataContributorId = '00000000-0000-0000-0000-000000000002'

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: storageAccountName
}

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2025-10-15' existing = {
  name: cosmosAccountName
}

resource serviceBus 'Microsoft.ServiceBus/namespaces@2026-01-01' existing = {
  name: serviceBusNamespaceName
}

resource iotHub 'Microsoft.Devices/IotHubs@2023-06-30' existing = {
  name: iotHubName
}

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: keyVaultName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource search 'Microsoft.Search/searchServices@2025-05-01' existing = {
  name: searchServiceName
}

// The showroom's search: the index is created or updated by the app on first use (Search Service Contributor) and
// its documents written and queried with the app's identity (Search Index Data Contributor).
var searchRoles = [
  roleIds.searchIndexDataContributor
  roleIds.searchServiceContributor
]

resource appSearch 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for roleId in searchRoles: {
  scope: search
  name: guid(search.id, appPrincipalId, roleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}]

// Host storage, Durable Functions (blobs, queues, tables), the deployment container, platform data.
var storageRoles = [
  roleIds.storageBlobDataOwner
  roleIds.storageQueueDataContributor
  roleIds.storageTableDataContributor
]

resource appStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for roleId in storageRoles: {
  scope: storage
  name: guid(storage.id, appPrincipalId, roleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}]

// Publish integration events and receive them on the app's subscriptions.
var serviceBusRoles = [
  roleIds.serviceBusDataSender
  roleIds.serviceBusDataReceiver
]

resource appServiceBus 'Microsoft.Authorization/roleAssignments@2022-04-01' = [for roleId in serviceBusRoles: {
  scope: serviceBus
  name: guid(serviceBus.id, appPrincipalId, roleId)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}]

// Vehicle commands: direct methods and twins through the IoT Hub service API.
resource appIotHub 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: iotHub
  name: guid(iotHub.id, appPrincipalId, roleIds.iotHubDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.iotHubDataContributor)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Resolve the Key Vault references in the app settings.
resource appKeyVault 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: vault
  name: guid(vault.id, appPrincipalId, roleIds.keyVaultSecretsUser)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.keyVaultSecretsUser)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Send telemetry to an Application Insights component with local authentication disabled.
resource appMonitoring 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: appInsights
  name: guid(appInsights.id, appPrincipalId, roleIds.monitoringMetricsPublisher)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.monitoringMetricsPublisher)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

// Read and write items (the containers themselves are created by cosmos.bicep).
resource appCosmos 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2025-10-15' = {
  parent: cosmos
  name: guid(cosmos.id, appPrincipalId, cosmosDataContributorId)
  properties: {
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${cosmosDataContributorId}'
    principalId: appPrincipalId
    scope: cosmos.id
  }
}

var hasOperator = !empty(operatorPrincipalId)

// Operator: create the personal-data key secrets.
resource operatorKeyVault 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (hasOperator) {
  scope: vault
  name: guid(vault.id, operatorPrincipalId, roleIds.keyVaultSecretsOfficer)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.keyVaultSecretsOfficer)
    principalId: operatorPrincipalId
    principalType: operatorPrincipalType
  }
}

// Operator: register vehicle devices with `az iot hub device-identity create --auth-type login`.
resource operatorIotHub 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (hasOperator) {
  scope: iotHub
  name: guid(iotHub.id, operatorPrincipalId, roleIds.iotHubDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.iotHubDataContributor)
    principalId: operatorPrincipalId
    principalType: operatorPrincipalType
  }
}

resource communication 'Microsoft.Communication/communicationServices@2025-05-01' existing = {
  name: communicationName
}

resource appCommunication 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: communication
  name: guid(communication.id, appPrincipalId, roleIds.contributor)
  properties: {
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.contributor)
  }
}
