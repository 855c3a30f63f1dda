// Test: production-like services at low capacity, for load and integration runs.
using '../main.bicep'

param environmentName = 'test'
param iotHubSku = 'S1'
param iotHubCapacity = 1
param cosmosCapacityMode = 'Serverless'
param storageSku = 'Standard_LRS'
param logRetentionInDays = 30
param functionMaximumInstanceCount = 100
param functionInstanceMemoryMB = 2048
param seedDemoData = false

// Listed so that `az deployment group create ... --parameters operatorPrincipalId=<object id>` can
// override them (the CLI only overrides parameters the .bicepparam file sets).
param operatorPrincipalId = ''
param operatorPrincipalType = 'User'
