// ServerlessMobility: the Azure deployment. This first cut holds the Function App's storage account
// and its Flex Consumption plan; the Azure binding work adds the app, Cosmos DB, IoT Hub, Service Bus,
// Key Vault and monitoring.
targetScope = 'resourceGroup'

@description('Short environment name, used in resource names.')
@allowed([
  'dev'
  'test'
  'prod'
])
param environmentName string = 'dev'

@description('Azure region for every resource.')
param location string = resourceGroup().location

var suffix = uniqueString(resourceGroup().id, environmentName)

resource storage 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: 'stsm${environmentName}${take(suffix, 10)}'
  location: location
  sku: {
    name: 'Standard_LRS'
  }
  kind: 'StorageV2'
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: 'plan-sm-${environmentName}-${suffix}'
  location: location
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

output storageAccountName string = storage.name
output planId string = plan.id
