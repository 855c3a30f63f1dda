// ServerlessMobility: the whole Azure deployment of one environment into one resource group.
// Function App (Flex Consumption, .NET 10 isolated, system-assigned identity) with its storage account,
// Cosmos DB, IoT Hub, Service Bus, Azure SignalR Service, Key Vault, Application Insights + Log Analytics, and the role
// assignments that let the app use every service with its identity. Deploy with a parameter file:
//   az deployment group create -g <rg> --parameters infra/parameters/<env>.bicepparam
// See docs/deploy-azure.md.
targetScope = 'resourceGroup'

@description('Short environment name, used in resource names.')
@allowed([
  'dev'
  'test'
  'prod'
])
param environmentName string

@description('Azure region for every resource (one that offers Flex Consumption).')
param location string = resourceGroup().location

@description('Region of the web console\'s Static Web App (Static Web Apps are offered in a few regions only).')
@allowed([
  'westeurope'
  'eastus2'
  'centralus'
  'westus2'
  'eastasia'
])
param consoleLocation string = 'westeurope'

@description('IoT Hub tier (F1 free, one per subscription; S1 and up for production).')
@allowed([
  'F1'
  'S1'
  'S2'
  'S3'
])
param iotHubSku string = 'S1'

@description('Azure AI Search tier of the showroom\'s vehicle search.')
@allowed([
  'basic'
  'standard'
])
param searchSku string = 'basic'

@description('Azure SignalR Service tier of the showroom\'s live changes (Free_F1: 20 connections, one per subscription).')
@allowed([
  'Free_F1'
  'Standard_S1'
])
param signalRSku string = 'Standard_S1'

@description('Azure SignalR Service units (Standard_S1 only; 1,000 connections each).')
@minValue(1)
@maxValue(100)
param signalRCapacity int = 1

@description('IoT Hub units.')
@minValue(1)
param iotHubCapacity int = 1

@description('Cosmos DB capacity: Serverless (pay per request) or Autoscale (shared database throughput).')
@allowed([
  'Serverless'
  'Autoscale'
])
param cosmosCapacityMode string = 'Serverless'

@description('Autoscale maximum RU/s of the database (Autoscale only).')
@minValue(1000)
param cosmosAutoscaleMaxThroughput int = 1000

@description('Storage redundancy of the app\'s storage account.')
@allowed([
  'Standard_LRS'
  'Standard_ZRS'
  'Standard_GRS'
])
param storageSku string = 'Standard_LRS'

@description('Days Log Analytics keeps data.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Maximum Function App instances.')
@minValue(40)
@maxValue(1000)
param functionMaximumInstanceCount int = 100

@description('Memory per Function App instance in MB.')
@allowed([
  512
  2048
  4096
])
param functionInstanceMemoryMB int = 2048

@description('Microsoft Entra tenant that issues the API\'s tokens.')
param authTenantId string = tenant().tenantId

@description('Audience (application ID URI) of the API\'s app registration.')
param apiAudience string = 'api://serverless-mobility'

@description('Application (client) id of the web console\'s Entra app registration (single-page application, redirect URI https://<consoleHostName>/authentication/login-callback). Empty until it is registered: the console then cannot sign anybody in.')
param consoleClientId string = ''

@description('Delegated scope of the API that the console asks for at sign-in (exposed by the API\'s app registration).')
param consoleApiScope string = '${apiAudience}/user_impersonation'

@description('Tenant id used by demo data and tools.')
param demoTenantId string = 'demo-dealership'

@description('Seed the demo tenant\'s data at start-up (idempotent). Never in production.')
param seedDemoData bool = false

@description('Request protection limits; the defaults match local.settings.sample.json.')
param requestProtection {
  maxRequestBodyBytes: int
  permitsPerSubject: int
  permitsPerAnonymousIp: int
  windowSeconds: int
} = {
  maxRequestBodyBytes: 1048576
  permitsPerSubject: 600
  permitsPerAnonymousIp: 300
  windowSeconds: 60
}

@description('Car-as-a-Service partners: base URLs of the payment provider, the factory and the registration authority (HTTPS), and the order flow timings (TimeSpan strings).')
param carAsAService {
  paymentsBaseUrl: string
  factoryBaseUrl: string
  registrationBaseUrl: string
  depositTimeout: string
  finalPaymentTimeout: string
  finalPaymentReminderInterval: string
  depositPolicyOnFinalPaymentFailure: ('Refund' | 'Retain')
}?

@description('Rent-to-own partner: base URL of the mobile-money provider\'s collection API (HTTPS).')
param mobileMoneyBaseUrl string = 'https://mobile-money.invalid/'

@description('Base URL of the payment provider that collects recurring payments (service-contract instalments).')
param paymentsBaseUrl string = 'https://payments.invalid/'

@description('Where Azure Communication Services keeps message data at rest (an ACS data location).')
param communicationDataLocation string = 'Europe'

@description('Sender of SMS notifications: a phone number bought for the Communication Services resource (E.164), empty until one is bought.')
param smsSender string = ''

@description('The platform operator\'s legal details printed on documents and in e-mail footers when a tenant has none of its own.')
param defaultTenantProfile {
  name: string
  legalName: string
  colour: string
  address: string
  taxId: string
  country: string
  legalFooter: string
} = {
  name: 'ServerlessMobility'
  legalName: 'ServerlessMobility Ltd'
  colour: '#0B5FFF'
  address: ''
  taxId: ''
  country: 'DE'
  legalFooter: ''
}

@description('Optional: object id of an operator (user, group or pipeline) who gets Key Vault Secrets Officer and IoT Hub Data Contributor for the deploy guide\'s steps. Empty for none.')
param operatorPrincipalId string = ''

@description('Type of the operator principal.')
@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param operatorPrincipalType string = 'User'

var suffix = uniqueString(resourceGroup().id, environmentName)
var isProduction = environmentName == 'prod'
var tags = {
  application: 'serverless-mobility'
  environment: environmentName
}

// Cosmos DB containers, all partitioned by the hierarchical key /tenantId, /id (TenantPartition in the code). A feature that registers a container in code
// (services.AddCosmosContainer("name")) adds its name here: with keys disabled the app's identity can
// read and write items but cannot create containers.
var cosmosContainerNames = [
  'orders'
  'customers'
  'vehicles'
  'catalog'
  'webhook-events'
  'audit'
  'caas-orders'
  'caas-customers'
  'caas-vehicles'
  'caas-payments'
  'caas-models'
  'caas-features'
  'caas-feature-subscriptions'
  'caas-feature-slots'
  'caas-feature-invoices'
  'caas-late-payments'
  'rtoPlans'
  'rtoAgentTasks'
  'rtoCustomers'
  'rtoListings'
  'sc-products'
  'sc-quotes'
  'sc-contracts'
  'workshop-bays'
  'workshop-technicians'
  'workshop-bookings'
  'workshop-slot-claims'
  'workshop-jobs'
  'workshop-parts'
  'showroom-inventory'
  'showroom-saved-searches'
  'showroom-leads'
  'showroom-lead-contacts'
  'showroom-salespeople'
  'showroom-points'
  'showroom-test-drives'
  'showroom-test-drive-slots'
  'operator-tasks'
]
var cosmosDatabaseName = 'serverless-mobility'

// Service Bus topics by purpose, and the app's subscription on each.
var serviceBusTopics = {
  integrationEvents: 'integration-events'
  riskEvents: 'risk-events'
  payments: 'payments'
}
var serviceBusSubscriptionName = 'serverless-mobility'

// The app's consumer group on the IoT Hub built-in endpoint.
var iotHubConsumerGroupName = 'serverless-mobility'

// Key Vault secrets the app settings reference. The IoT Hub one is written by this deployment; the
// personal-data keys are created once per environment by an operator (docs/deploy-azure.md).
var secretNames = {
  iotHubEventsConnection: 'iothub-events-connection'
  piiEncryptionKey: 'pii-encryption-key'
  piiLookupKey: 'pii-lookup-key'
  paymentsWebhookSecret: 'payments-webhook-secret'
  factoryWebhookSecret: 'factory-webhook-secret'
  documentLinkSigningKey: 'document-link-signing-key'
  signalRConnection: 'signalr-connection'
}

// Entra ID v2.0 endpoints of the tenant, from the cloud the deployment runs in.
var authAuthority = '${environment().authentication.loginEndpoint}${authTenantId}/v2.0'

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: {
    location: location
    workspaceName: 'log-sm-${environmentName}-${suffix}'
    appInsightsName: 'appi-sm-${environmentName}-${suffix}'
    retentionInDays: logRetentionInDays
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: {
    location: location
    storageAccountName: 'stsm${environmentName}${take(suffix, 10)}'
    deploymentContainerName: 'app-package'
    skuName: storageSku
    tags: tags
  }
}

module cosmos 'modules/cosmos.bicep' = {
  name: 'cosmos'
  params: {
    location: location
    accountName: 'cosmos-sm-${environmentName}-${suffix}'
    databaseName: cosmosDatabaseName
    containerNames: cosmosContainerNames
    capacityMode: cosmosCapacityMode
    autoscaleMaxThroughput: cosmosAutoscaleMaxThroughput
    zoneRedundant: false
    tags: tags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: {
    location: location
    keyVaultName: 'kv-sm-${environmentName}-${take(suffix, 11)}'
    softDeleteRetentionInDays: isProduction ? 90 : 7
    enablePurgeProtection: isProduction
    tags: tags
  }
}

module iotHub 'modules/iothub.bicep' = {
  name: 'iothub'
  params: {
    location: location
    iotHubName: 'iot-sm-${environmentName}-${suffix}'
    skuName: iotHubSku
    capacity: iotHubCapacity
    consumerGroupName: iotHubConsumerGroupName
    retentionInDays: 1
    keyVaultName: keyVault.outputs.keyVaultName
    eventsConnectionSecretName: secretNames.iotHubEventsConnection
    tags: tags
  }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: {
    location: location
    namespaceName: 'sb-sm-${environmentName}-${suffix}'
    topicNames: map(items(serviceBusTopics), topic => topic.value)
    subscriptionName: serviceBusSubscriptionName
    maxDeliveryCount: 10
    tags: tags
  }
}

module search 'modules/search.bicep' = {
  name: 'search'
  params: {
    location: location
    searchName: 'srch-sm-${environmentName}-${suffix}'
    sku: searchSku
    tags: tags
  }
}

module signalR 'modules/signalr.bicep' = {
  name: 'signalr'
  params: {
    location: location
    signalRName: 'sigr-sm-${environmentName}-${suffix}'
    skuName: signalRSku
    capacity: signalRCapacity
    keyVaultName: keyVault.outputs.keyVaultName
    connectionSecretName: secretNames.signalRConnection
    tags: tags
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    location: location
    planName: 'plan-sm-${environmentName}-${suffix}'
    functionAppName: 'func-sm-${environmentName}-${suffix}'
    maximumInstanceCount: functionMaximumInstanceCount
    instanceMemoryMB: functionInstanceMemoryMB
    storageAccountName: storage.outputs.storageAccountName
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: storage.outputs.deploymentContainerName
    appInsightsName: monitoring.outputs.appInsightsName
    cosmosEndpoint: cosmos.outputs.endpoint
    cosmosDatabaseName: cosmos.outputs.databaseName
    serviceBusFullyQualifiedNamespace: serviceBus.outputs.fullyQualifiedNamespace
    serviceBusTopics: serviceBusTopics
    serviceBusSubscriptionName: serviceBusSubscriptionName
    iotHubHostName: iotHub.outputs.hostName
    iotHubEventHubName: iotHub.outputs.eventHubName
    durableTaskHubName: 'sm${environmentName}'
    carAsAService: carAsAService ?? {
      paymentsBaseUrl: 'https://payments.invalid/'
      factoryBaseUrl: 'https://factory.invalid/'
      registrationBaseUrl: 'https://registration.invalid/'
      depositTimeout: '3.00:00:00'
      finalPaymentTimeout: '14.00:00:00'
      finalPaymentReminderInterval: '3.00:00:00'
      depositPolicyOnFinalPaymentFailure: 'Refund'
    }
    mobileMoneyBaseUrl: mobileMoneyBaseUrl
    paymentsBaseUrl: paymentsBaseUrl
    iotHubConsumerGroupName: iotHub.outputs.consumerGroupName
    keyVaultName: keyVault.outputs.keyVaultName
    keyVaultUri: keyVault.outputs.vaultUri
    secretNames: secretNames
    authAuthority: authAuthority
    authIssuer: authAuthority
    authAudience: apiAudience
    demoTenantId: demoTenantId
    seedDemoData: seedDemoData && !isProduction
    requestProtection: requestProtection
    notifications: {
      acsEndpoint: communication.outputs.endpoint
      emailSender: communication.outputs.emailSender
      smsSender: smsSender
    }
    defaultTenantProfile: defaultTenantProfile
    searchEndpoint: search.outputs.endpoint
    // The secret is written by the signalr module: referencing it before then would resolve to nothing.
    signalRConnectionSecretName: signalR.outputs.connectionSecretName
    tags: tags
  }
}

module console 'modules/console.bicep' = {
  name: 'console'
  params: {
    name: 'stapp-sm-${environmentName}-${suffix}'
    location: consoleLocation
    functionAppId: functionApp.outputs.functionAppId
    functionAppLocation: location
    signInAuthority: authAuthority
    signInClientId: consoleClientId
    signInScopes: [
      consoleApiScope
    ]
    tags: tags
  }
}

module communication 'modules/communication.bicep' = {
  name: 'communication'
  params: {
    communicationName: 'acs-sm-${environmentName}-${suffix}'
    emailServiceName: 'acs-email-sm-${environmentName}-${suffix}'
    dataLocation: communicationDataLocation
    tags: tags
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    appPrincipalId: functionApp.outputs.principalId
    communicationName: communication.outputs.communicationName
    operatorPrincipalId: operatorPrincipalId
    operatorPrincipalType: operatorPrincipalType
    storageAccountName: storage.outputs.storageAccountName
    cosmosAccountName: cosmos.outputs.accountName
    serviceBusNamespaceName: serviceBus.outputs.namespaceName
    iotHubName: iotHub.outputs.iotHubName
    keyVaultName: keyVault.outputs.keyVaultName
    appInsightsName: monitoring.outputs.appInsightsName
    searchServiceName: search.outputs.searchName
  }
}

output functionAppName string = functionApp.outputs.functionAppName
output consoleHostName string = console.outputs.defaultHostName
@description('The web console\'s console-config.json: write it next to index.html in the published files before uploading them.')
output consoleConfig object = console.outputs.consoleConfig
output functionAppHostName string = functionApp.outputs.defaultHostName
output functionAppPrincipalId string = functionApp.outputs.principalId
output storageAccountName string = storage.outputs.storageAccountName
output cosmosAccountName string = cosmos.outputs.accountName
output cosmosEndpoint string = cosmos.outputs.endpoint
output cosmosDatabaseName string = cosmos.outputs.databaseName
output iotHubName string = iotHub.outputs.iotHubName
output iotHubHostName string = iotHub.outputs.hostName
output iotHubConsumerGroup string = iotHub.outputs.consumerGroupName
output serviceBusNamespace string = serviceBus.outputs.fullyQualifiedNamespace
output signalRName string = signalR.outputs.signalRName
output keyVaultName string = keyVault.outputs.keyVaultName
output keyVaultUri string = keyVault.outputs.vaultUri
output appInsightsName string = monitoring.outputs.appInsightsName
output logAnalyticsWorkspaceName string = monitoring.outputs.workspaceName
