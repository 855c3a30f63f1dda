// Key Vault for the few values that cannot be identity-based (see docs/deploy-azure.md): the IoT Hub
// built-in endpoint's connection string and the personal-data keys. RBAC authorization only (no
// access policies), soft delete always, purge protection per environment (irreversible once on).
@description('Azure region.')
param location string

@description('Key Vault name (3-24 characters).')
@minLength(3)
@maxLength(24)
param keyVaultName string

@description('Days a deleted vault or secret can be recovered.')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int

@description('Purge protection: deleted secrets cannot be purged before the retention ends. Cannot be turned off again.')
param enablePurgeProtection bool

@description('Tags for every resource.')
param tags object

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: keyVaultName
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    // The service refuses false once set, so the property is only sent when it is switched on.
    enablePurgeProtection: enablePurgeProtection ? true : null
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

output keyVaultName string = vault.name
output vaultUri string = vault.properties.vaultUri
