// Cosmos DB for NoSQL: the account (serverless or autoscale), the platform database and one container
// per entry of containerNames, each with the hierarchical partition key /tenantId, /id (queries stay
// inside one tenant; each document is its own logical partition, so no tenant hits the 20 GB cap). Keys are disabled: the app signs in with its managed identity (sqlRoleAssignments
// in roles.bicep). Data-plane RBAC cannot create databases or containers, so every container the
// code registers (AddCosmosContainer) must be listed here.
@description('Azure region.')
param location string

@description('Cosmos DB account name.')
param accountName string

@description('Database name; the app reads it from CosmosDb__DatabaseName.')
param databaseName string

@description('Containers to create, all partitioned by the hierarchical key /tenantId, /id.')
param containerNames string[]

@description('Serverless (pay per request) or provisioned autoscale throughput shared by the database.')
@allowed([
  'Serverless'
  'Autoscale'
])
param capacityMode string

@description('Autoscale maximum RU/s of the shared database throughput (Autoscale only).')
@minValue(1000)
param autoscaleMaxThroughput int

@description('Zone redundancy for the account region.')
param zoneRedundant bool

@description('Tags for every resource.')
param tags object

var serverless = capacityMode == 'Serverless'

resource account 'Microsoft.DocumentDB/databaseAccounts@2025-10-15' = {
  name: accountName
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: zoneRedundant
      }
    ]
    capabilities: serverless ? [
      {
        name: 'EnableServerless'
      }
    ] : []
    disableLocalAuth: true
    disableKeyBasedMetadataWriteAccess: true
    minimalTlsVersion: 'Tls12'
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2025-10-15' = {
  parent: account
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
    options: serverless ? {} : {
      autoscaleSettings: {
        maxThroughput: autoscaleMaxThroughput
      }
    }
  }
}

resource containers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2025-10-15' = [for name in containerNames: {
  parent: database
  name: name
  properties: {
    resource: {
      id: name
      partitionKey: {
        paths: [
          '/tenantId'
          '/id'
        ]
        kind: 'MultiHash'
        version: 2
      }
    }
  }
}]

output accountName string = account.name
output endpoint string = account.properties.documentEndpoint
output databaseName string = database.name
