// Azure Communication Services for notifications: an Email Communication Service with an Azure-managed
// sender domain, linked to a Communication Services resource that sends e-mail and SMS. The Function App
// signs in with its managed identity (Notifications__Acs__AccessKey stays empty); its role on this resource
// is in roles.bicep. SMS needs a phone number bought for the resource (docs/deploy-azure.md), which no
// template can do.
@description('Communication Services resource name.')
param communicationName string

@description('Email Communication Service name.')
param emailServiceName string

@description('Where message data is kept at rest (ACS data locations, for example Europe or United States).')
param dataLocation string

param tags object

resource emailService 'Microsoft.Communication/emailServices@2025-05-01' = {
  name: emailServiceName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
  }
}

resource senderDomain 'Microsoft.Communication/emailServices/domains@2025-05-01' = {
  parent: emailService
  name: 'AzureManagedDomain'
  location: 'global'
  tags: tags
  properties: {
    domainManagement: 'AzureManaged'
    userEngagementTracking: 'Disabled'
  }
}

resource communication 'Microsoft.Communication/communicationServices@2025-05-01' = {
  name: communicationName
  location: 'global'
  tags: tags
  properties: {
    dataLocation: dataLocation
    linkedDomains: [
      senderDomain.id
    ]
  }
}

output endpoint string = 'https://${communication.properties.hostName}/'
output emailSender string = 'DoNotReply@${senderDomain.properties.mailFromSenderDomain}'
output communicationName string = communication.name
