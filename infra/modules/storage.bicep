// The app's own storage account: AzureWebJobsStorage for the Functions host, the Durable Task hub (queues,
// tables, blobs), the app's tables (docs/storage.md) and the container Flex Consumption deploys the package
// from. Keys are off: everything reaches it with Entra ID tokens.

@description('Name of the account: 3 to 24 lower-case letters and digits, unique in Azure.')
@minLength(3)
@maxLength(24)
param name string

@description('Region of the account.')
param location string

@description('Tags of the account.')
param tags object

@description('Redundancy. ZRS survives the loss of one zone, where the region has zones.')
@allowed(['Standard_LRS', 'Standard_ZRS'])
param skuName string

@description('Blob container the Flex Consumption plan deploys the app package from.')
param deploymentContainerName string

@description('Tables the app writes, with Storage__TablePrefix already in front.')
param tableNames string[]

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: skuName
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    // The Flex Consumption app reaches the account over its public endpoint (no virtual network here);
    // without a key nothing gets in without an Entra ID token and a data role.
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

// Created here because the Functions host never creates the app's tables (the local host does at start-up).
resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [
  for tableName in tableNames: {
    parent: tableService
    name: tableName
  }
]

@description('Name of the account.')
output name string = account.name

@description('Blob endpoint, ending in a slash.')
output blobEndpoint string = account.properties.primaryEndpoints.blob

@description('Queue endpoint, ending in a slash.')
output queueEndpoint string = account.properties.primaryEndpoints.queue

@description('Table endpoint, ending in a slash.')
output tableEndpoint string = account.properties.primaryEndpoints.table

@description('Name of the deployment container.')
output deploymentContainerName string = deploymentContainer.name
