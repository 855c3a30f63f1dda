// IoT Hub for the vehicles: device telemetry is routed to the built-in "events" endpoint (Event
// Hubs-compatible), which the app reads with its own consumer group. The built-in endpoint accepts
// only shared access signatures (no Microsoft Entra ID), so its connection string, built from the
// "service" policy, is written to Key Vault and referenced from the app settings; nothing else about
// IoT Hub needs a key (direct methods and twins use the app's identity, IoT Hub Data Contributor).
@description('Azure region.')
param location string

@description('IoT Hub name.')
param iotHubName string

@description('IoT Hub tier. Direct methods and twins (vehicle commands) need F1 or a standard tier.')
@allowed([
  'F1'
  'S1'
  'S2'
  'S3'
])
param skuName string

@description('Number of IoT Hub units.')
@minValue(1)
param capacity int

@description('Consumer group on the built-in endpoint for the app\'s Event Hubs trigger.')
param consumerGroupName string

@description('Days device messages stay on the built-in endpoint.')
@minValue(1)
@maxValue(7)
param retentionInDays int

@description('Key Vault that receives the built-in endpoint connection string.')
param keyVaultName string

@description('Name of that Key Vault secret.')
param eventsConnectionSecretName string

@description('Tags for every resource.')
param tags object

// The free tier has exactly two partitions.
var partitionCount = skuName == 'F1' ? 2 : 4
var servicePolicyName = 'service'

resource hub 'Microsoft.Devices/IotHubs@2023-06-30' = {
  name: iotHubName
  location: location
  tags: tags
  sku: {
    name: skuName
    capacity: capacity
  }
  properties: {
    minTlsVersion: '1.2'
    // Devices authenticate with SAS or X.509 (IoT Hub has no Entra ID for devices) and the built-in
    // endpoint needs the service policy, so shared access stays enabled on the hub itself.
    disableLocalAuth: false
    disableDeviceSAS: false
    disableModuleSAS: true
    eventHubEndpoints: {
      events: {
        retentionTimeInDays: retentionInDays
        partitionCount: partitionCount
      }
    }
    routing: {
      routes: [
        {
          name: 'device-telemetry-to-events'
          source: 'DeviceMessages'
          condition: 'true'
          endpointNames: [
            'events'
          ]
          isEnabled: true
        }
      ]
      fallbackRoute: {
        name: '$fallback'
        source: 'DeviceMessages'
        condition: 'true'
        endpointNames: [
          'events'
        ]
        isEnabled: true
      }
    }
    cloudToDevice: {
      maxDeliveryCount: 10
      defaultTtlAsIso8601: 'PT1H'
      feedback: {
        lockDurationAsIso8601: 'PT1M'
        ttlAsIso8601: 'PT1H'
        maxDeliveryCount: 10
      }
    }
  }
}

resource consumerGroup 'Microsoft.Devices/IotHubs/eventHubEndpoints/ConsumerGroups@2023-06-30' = {
  name: '${hub.name}/events/${consumerGroupName}'
  properties: {
    name: consumerGroupName
  }
}

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: keyVaultName
}

resource eventsConnection 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = {
  parent: vault
  name: eventsConnectionSecretName
  properties: {
    contentType: 'Event Hubs connection string (IoT Hub built-in endpoint, policy ${servicePolicyName})'
    value: 'Endpoint=${hub.properties.eventHubEndpoints.events.endpoint};SharedAccessKeyName=${servicePolicyName};SharedAccessKey=${filter(hub.listKeys().value, policy => policy.keyName == servicePolicyName)[0].primaryKey};EntityPath=${hub.properties.eventHubEndpoints.events.path}'
  }
}

output iotHubName string = hub.name
output hostName string = hub.properties.hostName
output eventHubName string = hub.properties.eventHubEndpoints.events.path
output consumerGroupName string = consumerGroupName
