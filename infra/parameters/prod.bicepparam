// Production: provisioned autoscale Cosmos DB throughput, zone-redundant storage, longer log
// retention; Key Vault purge protection is switched on by main.bicep for 'prod'.
using '../main.bicep'

param environmentName = 'prod'
param iotHubSku = 'S1'
param iotHubCapacity = 2
param cosmosCapacityMode = 'Autoscale'
param cosmosAutoscaleMaxThroughput = 4000
param storageSku = 'Standard_ZRS'
param logRetentionInDays = 90
param functionMaximumInstanceCount = 200
param functionInstanceMemoryMB = 2048
param seedDemoData = false

// Listed so that `az deployment group create ... --parameters operatorPrincipalId=<object id>` can
// override them (the CLI only overrides parameters the .bicepparam file sets).
param operatorPrincipalId = ''
param operatorPrincipalType = 'User'
