// Service Bus for integration events: one Standard namespace, the platform's topics and one
// subscription per topic for the app. Local (SAS) authentication is disabled: the app sends and
// receives with its managed identity (see roles.bicep).
@description('Azure region.')
param location string

@description('Service Bus namespace name.')
param namespaceName string

@description('Topics to create.')
param topicNames string[]

@description('The app\'s subscription on every topic.')
param subscriptionName string

@description('Deliveries before a message is dead-lettered.')
@minValue(1)
param maxDeliveryCount int

@description('Tags for every resource.')
param tags object

resource namespace 'Microsoft.ServiceBus/namespaces@2026-01-01' = {
  name: namespaceName
  location: location
  tags: tags
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
    publicNetworkAccess: 'Enabled'
  }
}

resource topics 'Microsoft.ServiceBus/namespaces/topics@2026-01-01' = [for name in topicNames: {
  parent: namespace
  name: name
  properties: {
    defaultMessageTimeToLive: 'P14D'
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT10M'
    supportOrdering: false
  }
}]

resource subscriptions 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2026-01-01' = [for (name, i) in topicNames: {
  parent: topics[i]
  name: subscriptionName
  properties: {
    maxDeliveryCount: maxDeliveryCount
    lockDuration: 'PT1M'
    deadLetteringOnMessageExpiration: true
    deadLetteringOnFilterEvaluationExceptions: true
  }
}]

output namespaceName string = namespace.name
// "https://<name>.servicebus.windows.net:443/" -> "<name>.servicebus.windows.net", without hard-coding
// the cloud's DNS suffix.
output fullyQualifiedNamespace string = split(split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0], '/')[0]
