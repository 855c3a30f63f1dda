// Azure SignalR Service in serverless mode: the showroom's live changes for a Function App that scales out (each
// instance's server-sent events hear only its own writes). The app sends through the data-plane REST API and answers
// clients' negotiate calls with tokens it signs with the access key, so local auth stays on and the connection string
// goes to Key Vault, where the app setting references it (docs/deploy-azure.md).
@description('Azure region.')
param location string

@description('SignalR Service name (globally unique).')
param signalRName string

@description('Tier: Free_F1 (20 connections, one per subscription) for trials, Standard_S1 (1,000 connections per unit) otherwise.')
@allowed([
  'Free_F1'
  'Standard_S1'
])
param skuName string

@description('Units of Standard_S1 (Free_F1 has one).')
@minValue(1)
@maxValue(100)
param capacity int

@description('Key Vault that receives the connection string.')
param keyVaultName string

@description('Name of that Key Vault secret.')
param connectionSecretName string

@description('Tags for every resource.')
param tags object

resource signalR 'Microsoft.SignalRService/signalR@2024-03-01' = {
  name: signalRName
  location: location
  tags: tags
  kind: 'SignalR'
  sku: {
    name: skuName
    tier: skuName == 'Free_F1' ? 'Free' : 'Standard'
    capacity: skuName == 'Free_F1' ? 1 : capacity
  }
  properties: {
    features: [
      {
        // Serverless: no hub server holds connections; clients only listen, the app speaks through REST.
        flag: 'ServiceMode'
        value: 'Serverless'
      }
    ]
    tls: {
      clientCertEnabled: false
    }
    publicNetworkAccess: 'Enabled'
  }
}

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: keyVaultName
}

resource connection 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: vault
  name: connectionSecretName
  properties: {
    contentType: 'Azure SignalR Service connection string (access key)'
    value: signalR.listKeys().primaryConnectionString
  }
}

output signalRName string = signalR.name
output hostName string = signalR.properties.hostName
output connectionSecretName string = connection.name
