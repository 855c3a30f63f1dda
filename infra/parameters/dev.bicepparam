// Development: the cheapest shape that still runs every flow (IoT Hub S1 for direct methods,
// serverless Cosmos DB, no purge protection so the environment can be torn down and recreated).
using '../main.bicep'

param environmentName = 'dev'
param iotHubSku = 'S1'
param iotHubCapacity = 1
param cosmosCapacityMode = 'Serverless'
param storageSku = 'Standard_LRS'
param logRetentionInDays = 30
param functionMaximumInstanceCount = 40
param functionInstanceMemoryMB = 2048
param seedDemoData = true

// Listed so that `az deployment group create ... --parameters operatorPrincipalId=<object id>` can
// override them (the CLI only overrides parameters the .bicepparam file sets).
param operatorPrincipalId = ''
param operatorPrincipalType = 'User'
