// Role assignments: what the app's identity may do on the storage account and Application Insights, and
// (optionally) read access to the same data for an operator. Built-in role ids are the same in every tenant.

@description('The storage account of the app and its task hub.')
param storageAccountName string

@description('The Application Insights component the app sends telemetry to.')
param appInsightsName string

@description('The app\'s user-assigned identity.')
param identityName string

@description('Object id of an operator (user or group) who may read the app\'s tables, queues and blobs; empty for none.')
param operatorPrincipalId string

var roleIds = {
  // Blobs: the task hub's leases and large messages, the host's own blobs, the deployment package.
  // Owner rather than Contributor because the Functions host asks for it on AzureWebJobsStorage.
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  // Queues: the task hub's control and work-item queues.
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  // Tables: the task hub's Instances/History/Partitions tables and the app's own tables.
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  // Application Insights ingestion with an Entra ID token (the component refuses the key).
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
  storageBlobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1'
  storageQueueDataReader: '19e7f393-937e-4f77-808e-94535e297925'
  storageTableDataReader: '76199698-9eea-4c19-bc75-cec21354c6b6'
}

var appStorageRoles = [
  roleIds.storageBlobDataOwner
  roleIds.storageQueueDataContributor
  roleIds.storageTableDataContributor
]

var operatorStorageRoles = empty(operatorPrincipalId)
  ? []
  : [
      roleIds.storageBlobDataReader
      roleIds.storageQueueDataReader
      roleIds.storageTableDataReader
    ]

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource appStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in appStorageRoles: {
    name: guid(storage.id, identity.id, roleId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: identity.properties.principalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource appTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, identity.id, roleIds.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roleIds.monitoringMetricsPublisher
    )
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource operatorStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in operatorStorageRoles: {
    name: guid(storage.id, operatorPrincipalId, roleId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: operatorPrincipalId
    }
  }
]
