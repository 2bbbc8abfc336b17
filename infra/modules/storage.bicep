// The app's own storage account: AzureWebJobsStorage for the Functions host, the Durable Task hub (queues,
// tables, blobs), the app's tables (docs/storage.md), the container Flex Consumption deploys the package
// from, and the evidence files' two containers (docs/storage.md, "Evidence files"). Keys are off: everything
// reaches it with Entra ID tokens, and browsers with user-delegation SAS the app signs as its identity.

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

@description('Queues of webhook delivery (NotificationQueues), with Storage__TablePrefix already in front, and their poison queues.')
param queueNames string[]

@description('Blob container evidence files are uploaded to (EvidenceContainers.Uploads); its blobs expire after a day.')
param evidenceUploadsContainerName string

@description('Blob container of verified evidence (EvidenceContainers.Verified), under a time-based immutability policy.')
param evidenceContainerName string

@description('Blob container of the signed lists (StatementStore.Container): each version written once, never overwritten.')
param statementsContainerName string

@description('Days each blob of verified evidence stays undeletable and unchangeable, counted from its creation.')
@minValue(1)
@maxValue(146000)
param evidenceRetentionDays int

@description('True once the evidence container\'s immutability policy is locked (docs/deploy.md): Azure refuses updates to it.')
param evidencePolicyLocked bool

@description('Days a deleted blob or container stays recoverable (soft delete).')
@minValue(1)
@maxValue(365)
param softDeleteDays int

@description('Origins (https://host[:port]) of the web apps that upload and download evidence from the browser; empty for no CORS rule.')
param webOrigins string[]

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
  properties: {
    deleteRetentionPolicy: {
      enabled: true
      days: softDeleteDays
      allowPermanentDelete: false
    }
    containerDeleteRetentionPolicy: {
      enabled: true
      days: softDeleteDays
    }
    // Browsers PUT uploads and GET downloads straight to blob URLs carrying a SAS; the SAS is the credential,
    // CORS only lets the web app's own pages make those calls. No origins, no rule (and any old rule goes).
    cors: {
      corsRules: empty(webOrigins)
        ? []
        : [
            {
              allowedOrigins: webOrigins
              allowedMethods: ['PUT', 'GET', 'HEAD', 'OPTIONS']
              allowedHeaders: [
                'x-ms-blob-type'
                'x-ms-version'
                'content-type'
                'x-ms-blob-content-type'
                'x-ms-blob-content-disposition'
              ]
              exposedHeaders: ['etag']
              maxAgeInSeconds: 3600
            }
          ]
    }
  }
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

// Where browsers and clients upload, through a create-only SAS for one blob. Nothing here is evidence yet: a
// refused upload must be deletable, so this container has no immutability policy.
resource evidenceUploadsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: evidenceUploadsContainerName
  properties: {
    publicAccess: 'None'
  }
}

// Verified evidence, copied here by the app after its checks.
resource evidenceContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: evidenceContainerName
  properties: {
    publicAccess: 'None'
  }
}

// The signed lists, one blob per version; the app writes each with If-None-Match: * and reads it back by its hash.
resource statementsContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: statementsContainerName
  properties: {
    publicAccess: 'None'
  }
}

// What keeps verified evidence: while a blob's period runs, nobody can overwrite, change or delete it, the app's
// identity included, although its Storage Blob Data Owner role (which the host and the task hub need on this
// account) would otherwise let it. Unlocked, the policy itself can still be shortened or removed through Azure
// Resource Manager by anyone with that right (Data Owner has it); docs/deploy.md says how and when to lock it.
resource evidenceImmutability 'Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies@2023-05-01' = if (!evidencePolicyLocked) {
  parent: evidenceContainer
  name: 'default'
  properties: {
    immutabilityPeriodSinceCreationInDays: evidenceRetentionDays
    allowProtectedAppendWrites: false
    allowProtectedAppendWritesAll: false
  }
}

// Uploads the app never verified (abandoned, or refused) go after a day; verified ones were copied out long
// before. Lifecycle management runs about once a day, so a leftover lives one to two days. Page blobs are out
// of its reach, so the app must itself delete an upload that is not a block blob.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'expire-evidence-uploads'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: ['blockBlob', 'appendBlob']
              prefixMatch: ['${evidenceUploadsContainer.name}/']
            }
            actions: {
              baseBlob: {
                delete: {
                  daysAfterCreationGreaterThan: 1
                }
              }
            }
          }
        }
      ]
    }
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

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

// The app creates them on first use as well; here they exist before the queue triggers first listen.
resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [
  for queueName in queueNames: {
    parent: queueService
    name: queueName
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
