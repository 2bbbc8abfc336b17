// The user-assigned managed identity the Function App runs as: it reaches storage (AzureWebJobsStorage, the
// task hub, the app's tables, the deployment container) and Application Insights without any key.

@description('Name of the identity.')
param name string

@description('Region of the identity.')
param location string

@description('Tags of the identity.')
param tags object

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: name
  location: location
  tags: tags
}

@description('Resource id, for the app\'s identity list and the deployment storage authentication.')
output id string = identity.id

@description('Client id: AzureWebJobsStorage__clientId and the Application Insights authentication string.')
output clientId string = identity.properties.clientId

@description('Object id of the service principal, for role assignments.')
output principalId string = identity.properties.principalId
