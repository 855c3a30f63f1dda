// Azure AI Search: the showroom's vehicle search for a Function App that scales out (each instance's in-memory
// Lucene index would only see its own writes). Keyless: the app reaches it with its managed identity (roles.bicep).
@description('Azure region.')
param location string

@description('Search service name (globally unique, lower case).')
param searchName string

@description('Pricing tier; basic holds 15 indexes of up to 2 GB each, plenty for a platform\'s stock.')
@allowed([
  'basic'
  'standard'
])
param sku string

@description('Resource tags.')
param tags object

resource search 'Microsoft.Search/searchServices@2025-05-01' = {
  name: searchName
  location: location
  tags: tags
  sku: {
    name: sku
  }
  properties: {
    replicaCount: 1
    partitionCount: 1
    // Entra ID only: no admin or query keys can be used.
    disableLocalAuth: true
    publicNetworkAccess: 'enabled'
  }
}

output searchName string = search.name
output endpoint string = 'https://${search.name}.search.windows.net'
