// The Azure Functions app (Host A) on the Flex Consumption plan: .NET 10 isolated worker, a
// system-assigned identity and identity-based connections only. App setting keys are the ones the
// code reads (the same keys as local.settings.sample.json, "__" separating sections) plus the
// Azure-only connection settings. The values that cannot be identity-based are Key Vault
// references (see docs/deploy-azure.md, "Identities and roles").
@description('Azure region.')
param location string

@description('Flex Consumption plan name.')
param planName string

@description('Function App name.')
param functionAppName string

@description('Maximum instances the app scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

@description('Memory per instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('The app\'s storage account (host storage, Durable Functions, platform tables/queues/blobs).')
param storageAccountName string

@description('Blob endpoint of that account, for the deployment container URL.')
param storageBlobEndpoint string

@description('Container the Flex Consumption plan deploys the app package from.')
param deploymentContainerName string

@description('Application Insights component name.')
param appInsightsName string

@description('Cosmos DB account endpoint.')
param cosmosEndpoint string

@description('Cosmos DB database name.')
param cosmosDatabaseName string

@description('Service Bus namespace host name (<name>.servicebus.windows.net).')
param serviceBusFullyQualifiedNamespace string

@description('Service Bus topic names by purpose.')
param serviceBusTopics {
  integrationEvents: string
  riskEvents: string
  payments: string
}

@description('The app\'s subscription name on every topic.')
param serviceBusSubscriptionName string

@description('IoT Hub host name (service API: direct methods, twins).')
param iotHubHostName string

@description('Event Hub-compatible name of the IoT Hub built-in endpoint.')
param iotHubEventHubName string

@description('Durable Functions task hub name (letters and digits, 3 to 45 characters).')
@minLength(3)
@maxLength(45)
param durableTaskHubName string

@description('Risk rules of the telemetry pipeline: speed limit (km/h), how long speeding must last, and when a silent vehicle counts as offline (TimeSpan strings).')
param telemetryRules object = {
  speedLimitKmh: 130
  speedingMinDuration: '00:00:30'
  offlineThreshold: '00:30:00'
  lowBatteryPercent: 15
  lowBatteryHysteresisPercent: 5
  maintenanceIntervalKm: 15000
  maxDrivingGap: '00:05:00'
}

@description('The app\'s consumer group on the built-in endpoint.')
param iotHubConsumerGroupName string

@description('Key Vault name (Key Vault references).')
param keyVaultName string

@description('Key Vault URI.')
param keyVaultUri string

@description('Secret names in Key Vault by purpose.')
param secretNames {
  iotHubEventsConnection: string
  piiEncryptionKey: string
  piiLookupKey: string
  paymentsWebhookSecret: string
  factoryWebhookSecret: string
  documentLinkSigningKey: string
  signalRConnection: string
}

@description('Notification channels: the Communication Services endpoint, its e-mail sender address and the SMS sender number (empty: SMS goes nowhere until one is bought).')
param notifications {
  acsEndpoint: string
  emailSender: string
  smsSender: string
}

@description('The platform operator\'s legal details for documents and e-mail footers when a tenant has none.')
param defaultTenantProfile {
  name: string
  legalName: string
  colour: string
  address: string
  taxId: string
  country: string
  legalFooter: string
}

@description('Car-as-a-Service partner endpoints and order flow timings.')
param carAsAService {
  paymentsBaseUrl: string
  factoryBaseUrl: string
  registrationBaseUrl: string
  depositTimeout: string
  finalPaymentTimeout: string
  finalPaymentReminderInterval: string
  depositPolicyOnFinalPaymentFailure: string
}

@description('Rent-to-own partner: base URL of the mobile-money provider\'s collection API.')
param mobileMoneyBaseUrl string

@description('Base URL of the payment provider that collects recurring payments (service-contract instalments).')
param paymentsBaseUrl string

@description('OpenID Connect authority that issues the API\'s tokens.')
param authAuthority string

@description('Expected token issuer.')
param authIssuer string

@description('Expected token audience.')
param authAudience string

@description('Tenant used by the demo data and tools.')
param demoTenantId string

@description('Seed the demo tenant\'s data at start-up.')
param seedDemoData bool

@description('Request protection limits (body size, rate limits).')
param requestProtection {
  maxRequestBodyBytes: int
  permitsPerSubject: int
  permitsPerAnonymousIp: int
  windowSeconds: int
}

@description('Endpoint of the Azure AI Search service behind the showroom\'s vehicle search (https://{name}.search.windows.net).')
param searchEndpoint string

@description('Key Vault secret that holds the Azure SignalR Service connection string (written by the signalr module).')
param signalRConnectionSecretName string

@description('Tags for every resource.')
param tags object

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2025-03-01' = {
  name: functionAppName
  location: location
  tags: tags
  kind: 'functionapp,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'SystemAssignedIdentity'
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// Publishing goes through Microsoft Entra ID (az / func with a signed-in user), never basic auth.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

// FUNCTIONS_WORKER_RUNTIME and FUNCTIONS_EXTENSION_VERSION are not app settings on Flex Consumption:
// functionAppConfig.runtime above replaces them.
resource appSettings 'Microsoft.Web/sites/config@2025-03-01' = {
  parent: app
  name: 'appsettings'
  properties: {
    // Host storage (Functions host, Durable Functions task hub) with the managed identity.
    AzureWebJobsStorage__accountName: storageAccountName
    // The platform's tables, queues and blobs (StorageOptions: AccountName -> managed identity).
    Storage__AccountName: storageAccountName
    Storage__ResourcePrefix: ''
    // Cosmos DB with the managed identity: no CosmosDb__Key.
    CosmosDb__Endpoint: cosmosEndpoint
    CosmosDb__DatabaseName: cosmosDatabaseName
    CosmosDb__AcceptSelfSignedCertificate: 'false'
    // Tokens from Microsoft Entra ID; the Development token issuer (Auth__DevSigningKey) is never on.
    Auth__Authority: authAuthority
    Auth__Issuer: authIssuer
    Auth__Audience: authAudience
    // How long a validated token is remembered (never past its expiry): bounds how late a signing-key rollover takes effect.
    Auth__ValidatedTokenCacheTime: '00:00:30'
    // Personal-data keys: Key Vault references, created once per environment by an operator.
    Security__Pii__EncryptionKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${secretNames.piiEncryptionKey})'
    Security__Pii__LookupKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${secretNames.piiLookupKey})'
    RequestProtection__MaxRequestBodyBytes: string(requestProtection.maxRequestBodyBytes)
    RequestProtection__PermitsPerSubject: string(requestProtection.permitsPerSubject)
    RequestProtection__PermitsPerAnonymousIp: string(requestProtection.permitsPerAnonymousIp)
    RequestProtection__WindowSeconds: string(requestProtection.windowSeconds)
    Audit__SettleAfter: '00:02:00'
    // The local host's anchoring interval; the Function App anchors on its hourly timer and ignores it.
    Audit__AnchorInterval: '01:00:00'
    Demo__Seed: seedDemoData ? 'true' : 'false'
    Demo__TenantId: demoTenantId
    // Rent-to-own dunning and credit policy (the same defaults as local.settings.sample.json).
    RentToOwn__Collection__RetrySchedule: '1.00:00:00,3.00:00:00,5.00:00:00'
    RentToOwn__Collection__ReminderLead: '2.00:00:00'
    RentToOwn__Collection__GracePeriod: '7.00:00:00'
    RentToOwn__Collection__StationaryRecheckInterval: '00:30:00'
    RentToOwn__Collection__DefaultRecheckInterval: '1.00:00:00'
    RentToOwn__Collection__VehicleCommandTimeout: '00:00:30'
    RentToOwn__Collection__ActivityRetryInterval: '00:00:30'
    RentToOwn__ManualImmobilization__MaxReadingAge: '00:02:00'
    RentToOwn__MobileMoney__BaseUrl: mobileMoneyBaseUrl
    RentToOwn__Credit__ApproveAtOrAbove: '60'
    RentToOwn__Credit__ConditionalAtOrAbove: '40'
    RentToOwn__Credit__ConditionalDepositShare: '0.25'
    RentToOwn__Credit__ConditionalMaxTermMonths: '12'
    RentToOwn__Credit__RiskEventWindow: '90.00:00:00'
    RentToOwn__Kyc__MaxDocumentBytes: '1048576'
    RentToOwn__Listings__ReservationHold: '2.00:00:00'
    // Service contracts: how long a quote can be accepted.
    ServiceContracts__Quotes__Validity: '14.00:00:00'
    // Service contracts: the dunning of monthly instalments (retries from the due date, suspension, cancellation after the grace period).
    // Service contracts: renewal reminder before the term ends, and automatic renewal of consented contracts.
    ServiceContracts__Renewal__ReminderLead: '30.00:00:00'
    ServiceContracts__Renewal__AutoRenewLead: '7.00:00:00'
    // Empty: instalments a calendar month apart. Only tests and local demos shorten it.
    ServiceContracts__Payments__MonthLength: ''
    ServiceContracts__Payments__RetrySchedule: '1.00:00:00,3.00:00:00,5.00:00:00'
    ServiceContracts__Payments__GracePeriod: '14.00:00:00'
    ServiceContracts__Payments__MaxWait: '1.00:00:00'
    ServiceContracts__Payments__ActivityRetryInterval: '00:00:30'
    // The payment provider behind the shared payments capability (card on file, mandates).
    Payments__BaseUrl: paymentsBaseUrl
    // Workshop: the country whose tax the invoices bear, their currency, and how long the owner's approval link works.
    Workshop__Country: 'DE'
    Workshop__Currency: 'EUR'
    Workshop__TaxRates__DE: '0.19'
    Workshop__ApprovalLinkLifetime: '3.00:00:00'
    Workshop__BookingReminderLead: '1.00:00:00'
    // Workshop: the owner is reminded of an estimate every day and it expires undecided after three (at most the link's lifetime).
    Workshop__Approval__ReminderInterval: '1.00:00:00'
    Workshop__Approval__Expiry: '3.00:00:00'
    Workshop__Approval__ActivityRetryInterval: '00:00:30'
    // Workshop: photos and videos go straight to Blob storage through signed links (user-delegation SAS, the identity's
    // Blob Data Owner role lets it get the key); a link cannot limit size, so larger uploads are never listed.
    Workshop__Media__UploadLinkLifetime: '00:10:00'
    Workshop__Media__ReadLinkLifetime: '00:15:00'
    Workshop__Media__MaxBytes: '209715200'
    // Workshop: when a vehicle is due for service (time since the last service, telemetry read back for a vehicle never
    // serviced) and where its proposed booking is looked for.
    Workshop__Maintenance__ServiceInterval: '365.00:00:00'
    Workshop__Maintenance__Lookback: '365.00:00:00'
    Workshop__Maintenance__ProposalLead: '1.00:00:00'
    Workshop__Maintenance__ProposalHorizon: '14.00:00:00'
    Workshop__Maintenance__ServiceHours: '2'
    Workshop__Maintenance__ServiceSkill: 'service'
    Workshop__Maintenance__DiagnosticsSkill: 'diagnostics'
    // Showroom: how soon an instance notices a retrained lead-score model, and the synthetic rows the first model is trained on.
    Showroom__LeadScoring__ModelRefreshInterval: '00:00:30'
    Showroom__LeadScoring__TrainingRows: '2000'
    // Showroom test drives: the slot grid and durations, how far ahead, the driver's minimum age, the zone around the dealership.
    Showroom__TestDrives__SlotMinutes: '15'
    Showroom__TestDrives__MinDurationMinutes: '15'
    Showroom__TestDrives__MaxDurationMinutes: '120'
    Showroom__TestDrives__MaxDaysAhead: '60'
    Showroom__TestDrives__MinDriverAge: '21'
    Showroom__TestDrives__GeofenceRadiusMeters: '5000'
    Showroom__TestDrives__StaleClaimGraceMinutes: '5'
    // Showroom hand-off to rent-to-own: the flat finance charge, the terms and the price cap per currency the line runs in.
    Showroom__HandOff__RentToOwn__FinanceChargeRate: '0.20'
    Showroom__HandOff__RentToOwn__MinWeeks: '26'
    Showroom__HandOff__RentToOwn__MaxWeeks: '208'
    Showroom__HandOff__RentToOwn__MaxPrices: 'EUR:40000,GBP:35000,USD:45000,KES:6000000,UGX:160000000,TZS:110000000,RWF:55000000,NGN:70000000,GHS:550000,ZAR:800000'
    // Telemetry with the managed identity (the component has local auth disabled).
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD'
    // Service Bus triggers and senders: Connection = "ServiceBus" -> identity-based.
    ServiceBus__fullyQualifiedNamespace: serviceBusFullyQualifiedNamespace
    ServiceBus__Topics__IntegrationEvents: serviceBusTopics.integrationEvents
    ServiceBus__Topics__RiskEvents: serviceBusTopics.riskEvents
    ServiceBus__Topics__Payments: serviceBusTopics.payments
    ServiceBus__SubscriptionName: serviceBusSubscriptionName
    // IoT Hub service API (direct methods, twins) with the managed identity.
    IoTHub__HostName: iotHubHostName
    // Event Hubs trigger on the built-in endpoint: Connection = "IoTHubEvents". The built-in endpoint
    // accepts no Entra ID tokens, so this one connection string comes from Key Vault.
    IoTHubEvents: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${secretNames.iotHubEventsConnection})'
    IoTHub__EventHubName: iotHubEventHubName
    IoTHub__ConsumerGroup: iotHubConsumerGroupName
    KeyVault__VaultUri: keyVaultUri
    // Durable Functions task hub (host.json reads %Durable__TaskHubName%), one per environment.
    Durable__TaskHubName: durableTaskHubName
    // Risk rules of the telemetry pipeline.
    Telemetry__Rules__SpeedLimitKmh: string(telemetryRules.speedLimitKmh)
    Telemetry__Rules__SpeedingMinDuration: telemetryRules.speedingMinDuration
    Telemetry__Rules__OfflineThreshold: telemetryRules.offlineThreshold
    Telemetry__Rules__LowBatteryPercent: string(telemetryRules.lowBatteryPercent)
    Telemetry__Rules__LowBatteryHysteresisPercent: string(telemetryRules.lowBatteryHysteresisPercent)
    Telemetry__Rules__MaintenanceIntervalKm: string(telemetryRules.maintenanceIntervalKm)
    Telemetry__Rules__MaxDrivingGap: telemetryRules.maxDrivingGap
    // A telemetry batch part that keeps failing is retried, then split until the poison message is parked (docs/telemetry.md).
    Telemetry__Retry__DeterministicAttempts: '2'
    Telemetry__Retry__TransientAttempts: '20'
    Telemetry__Retry__BaseDelay: '00:00:00.100'
    Telemetry__Retry__MaxDelay: '00:00:05'
    // Car-as-a-Service: partners over HTTPS, webhook secrets shared with them from Key Vault.
    CarAsAService__Outbound__Mode: 'Http'
    CarAsAService__Outbound__PaymentsBaseUrl: carAsAService.paymentsBaseUrl
    CarAsAService__Outbound__FactoryBaseUrl: carAsAService.factoryBaseUrl
    CarAsAService__Outbound__RegistrationBaseUrl: carAsAService.registrationBaseUrl
    CarAsAService__Outbound__AttemptTimeout: '00:00:10'
    CarAsAService__Outbound__TotalTimeout: '00:00:30'
    CarAsAService__Outbound__MaxRetryAttempts: '3'
    CarAsAService__Outbound__RetryBaseDelay: '00:00:02'
    CarAsAService__Webhooks__PaymentsSecret: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${secretNames.paymentsWebhookSecret})'
    CarAsAService__Webhooks__FactorySecret: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${secretNames.factoryWebhookSecret})'
    CarAsAService__Webhooks__Tolerance: '00:05:00'
    // Notifications through Azure Communication Services with the app's identity (no access key).
    Notifications__EmailChannel: 'Acs'
    Notifications__SmsChannel: 'Acs'
    Notifications__Acs__Endpoint: notifications.acsEndpoint
    Notifications__Acs__EmailSender: notifications.emailSender
    Notifications__Acs__SmsFrom: notifications.smsSender
    Notifications__FromAddress: notifications.emailSender
    Notifications__DefaultLanguage: 'en'
    Notifications__DefaultTimeZone: 'UTC'
    Notifications__MaxAttempts: '5'
    Notifications__FirstRetry: '00:01:00'
    Notifications__DispatchInterval: '00:00:30'
    // Signs the short-lived document download links.
    Documents__LinkSigningKey: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${secretNames.documentLinkSigningKey})'
    Documents__LinkLifetime: '00:10:00'
    Tenants__Default__Name: defaultTenantProfile.name
    Tenants__Default__LegalName: defaultTenantProfile.legalName
    Tenants__Default__Colour: defaultTenantProfile.colour
    Tenants__Default__Address: defaultTenantProfile.address
    Tenants__Default__TaxId: defaultTenantProfile.taxId
    Tenants__Default__Country: defaultTenantProfile.country
    Tenants__Default__LegalFooter: defaultTenantProfile.legalFooter
    Tenants__Default__FromAddress: notifications.emailSender
    // Order status reads are served from each instance's memory for up to 2 s (docs/performance.md).
    CarAsAService__OrderReadCache__TimeToLive: '00:00:02'
    CarAsAService__OrderReadCache__MaxEntries: '10000'
    Showroom__InventoryReadCache__TimeToLive: '00:00:02'
    Showroom__AzureAiSearch__Endpoint: searchEndpoint
    Showroom__AzureAiSearch__IndexName: 'showroom-vehicles'
    // Showroom live changes through Azure SignalR Service (serverless), so every instance's clients hear every write.
    // Negotiate signs client tokens with the access key: the connection string is a Key Vault reference.
    Showroom__Live__AzureSignalR__ConnectionString: '@Microsoft.KeyVault(VaultName=${keyVaultName};SecretName=${signalRConnectionSecretName})'
    Showroom__Live__AzureSignalR__Hub: 'showroom'
    Showroom__Live__AzureSignalR__ClientTokenLifetime: '01:00:00'
    Showroom__Live__AzureSignalR__SendTimeout: '00:00:10'
    Showroom__Live__AzureSignalR__QueueCapacity: '1000'
    // Over-the-air features (docs/flows/feature-activation.md).
    CarAsAService__Features__VehicleResponseTimeout: '00:00:30'
    CarAsAService__Features__CommandMaxAttempts: '8'
    CarAsAService__Features__CommandFirstRetry: '00:05:00'
    CarAsAService__Features__CommandBackoffCoefficient: '2'
    CarAsAService__Features__CommandMaxRetryInterval: '04:00:00'
    CarAsAService__Features__VoidMaxAttempts: '5'
    CarAsAService__Features__VoidFirstRetry: '00:01:00'
    CarAsAService__Features__VoidRoundInterval: '01:00:00'
    CarAsAService__Features__VoidMaxRounds: '24'
    CarAsAService__Features__InvoiceRetrySchedule: '3.00:00:00,7.00:00:00,14.00:00:00'
    // Empty: a month is a calendar month. Only tests and local demos shorten it.
    CarAsAService__Features__MonthLength: ''
    CarAsAService__Features__Maintenance__Grace: '30.00:00:00'
    CarAsAService__Features__Maintenance__Lookback: '365.00:00:00'
    // How far back the five-minute sweep looks for terminated or failed activations to compensate.
    CarAsAService__Features__Reconciler__Lookback: '400.00:00:00'
    CarAsAService__Workflow__DepositTimeout: carAsAService.depositTimeout
    CarAsAService__Workflow__DepositPolicyOnFinalPaymentFailure: carAsAService.depositPolicyOnFinalPaymentFailure
    CarAsAService__Workflow__FinalPaymentTimeout: carAsAService.finalPaymentTimeout
    CarAsAService__Workflow__FinalPaymentReminderInterval: carAsAService.finalPaymentReminderInterval
    CarAsAService__Workflow__RegistrationMaxAttempts: '5'
    CarAsAService__Workflow__RegistrationFirstRetry: '00:01:00'
    CarAsAService__Workflow__PaymentIntentMaxAttempts: '4'
    CarAsAService__Workflow__PaymentIntentFirstRetry: '00:00:30'
    CarAsAService__Workflow__FactoryOrderMaxAttempts: '3'
    CarAsAService__Workflow__FactoryOrderFirstRetry: '00:00:30'
  }
}

output functionAppName string = app.name
output functionAppId string = app.id
output principalId string = app.identity.principalId
output defaultHostName string = app.properties.defaultHostName
output planName string = plan.name
