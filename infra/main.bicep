// Eval in Azure: a resource group with a Flex Consumption Function App (.NET 10 isolated) that runs as a
// user-assigned identity on its own key-less storage account, with Application Insights on Log Analytics.
// `azd up` deploys it with main.bicepparam; docs/deploy.md explains every step.
targetScope = 'subscription'

@description('Name of the azd environment (AZURE_ENV_NAME): names the resource group and tags everything.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Region of every resource (AZURE_LOCATION); it must offer the Flex Consumption plan.')
@minLength(1)
param location string

@description('Entra ID tenant id (a GUID, not a domain: it becomes the tokens\' issuer) that issues the API\'s tokens; empty for the tenant of the deployment.')
@maxLength(36)
param authTenantId string

@description('Application (client) id of the Eval API app registration: the aud of its v2.0 access tokens.')
@minLength(36)
@maxLength(36)
param authAudience string

@description('Auth__AllowedClientIds: comma-separated client ids of the apps whose tokens the API accepts (azp/appid); empty for any.')
param authAllowedClientIds string = ''

@description('EvalTaskHub: 3 to 45 letters and digits, starting with a letter. A new name starts an empty hub.')
@minLength(3)
@maxLength(45)
param taskHubName string

@description('Storage__TablePrefix: letters and digits prepended to every table the app writes; usually empty.')
@maxLength(20)
param tablePrefix string

@description('Outbox__BindingKey: base64 of 32 random bytes or more, kept for good; binds kept events to their claims (docs/deploy.md).')
@secure()
@minLength(44)
param outboxBindingKey string

@description('Object id of an operator (user or group) given read access to the app\'s data; empty for none.')
param operatorPrincipalId string

@description('Memory of each Function App instance in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Most instances the Function App scales out to (40 is the plan\'s lowest cap).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Redundancy of the storage account.')
@allowed(['Standard_LRS', 'Standard_ZRS'])
param storageSkuName string = 'Standard_LRS'

@description('Years each verified evidence file is kept undeletable (immutability policy of 365 days a year); records are kept about ten years.')
@minValue(1)
@maxValue(100)
param evidenceRetentionYears int

@description('True once the evidence container\'s immutability policy has been locked by hand (docs/deploy.md); the template then leaves it alone.')
param evidencePolicyLocked bool

@description('Origins (https://host[:port], no path) of the web apps that upload and download evidence from the browser: the blob service\'s CORS rule. Empty for none.')
param webOrigins string[]

@description('Days a deleted blob or container stays recoverable (blob and container soft delete).')
@minValue(1)
@maxValue(365)
param storageSoftDeleteDays int = 30

@description('Days Log Analytics keeps logs.')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Daily Log Analytics ingestion cap in GB (-1 for none).')
param logDailyCapGb int = 1

// The app's own tables: workflows/Storage/EvalTables.cs and docs/storage.md. An infra test compares the lists.
var appTables = [
  'Units'
  'Campaigns'
  'Evaluations'
  'ProposedRatings'
  'Ratings'
  'Objections'
  'Audit'
  'IdempotencyKeys'
  'SelfTests'
  'Evidence'
  'Appraisals'
  'Honours'
  'Statements'
  'HonourChanges'
  'Notifications'
  'Reminders'
  'Inbox'
  'Subscriptions'
  'Deliveries'
]

// The queues of webhook delivery (Notifications__FanoutQueue, __DeliveryQueue), named after the table prefix as the local host
// names them; each with the poison queue a message goes to after it failed ten times (host.json's maxDequeueCount).
var notificationQueues = {
  fanout: toLower('${tablePrefix}notifications')
  deliveries: toLower('${tablePrefix}webhook-deliveries')
}

var tags = { 'azd-env-name': environmentName }
var token = toLower(uniqueString(subscription().id, environmentName, location))
// Names are known before anything is deployed, so modules get them rather than each other's outputs: What-If
// can then predict every resource (the what-if-short-circuiting rule), and dependsOn says what waits for what.
var names = {
  resourceGroup: 'rg-${environmentName}'
  identity: 'id-eval-${token}'
  storage: 'steval${token}'
  deploymentContainer: 'app-package'
  // workflows/Storage/EvidenceContainers.cs: the app uses these names, and an infra test compares them.
  evidenceUploadsContainer: 'evidence-uploads'
  evidenceContainer: 'evidence'
  // workflows/Storage/StatementStore.cs: the signed lists.
  statementsContainer: 'statements'
  vault: 'kv-eval-${token}'
  signingKey: 'ratings-signing'
  bindingSecret: 'outbox-binding-key'
  workspace: 'log-eval-${token}'
  appInsights: 'appi-eval-${token}'
  plan: 'plan-eval-${token}'
  app: 'func-eval-${token}'
}
var tenantId = empty(authTenantId) ? tenant().tenantId : authTenantId
// v2.0 tokens: iss is <login endpoint><tenant>/v2.0 and aud is the API's client id.
var authIssuer = '${environment().authentication.loginEndpoint}${tenantId}/v2.0'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: names.resourceGroup
  location: location
  tags: tags
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    skuName: storageSkuName
    deploymentContainerName: names.deploymentContainer
    tableNames: [for table in appTables: '${tablePrefix}${table}']
    queueNames: [
      notificationQueues.fanout
      '${notificationQueues.fanout}-poison'
      notificationQueues.deliveries
      '${notificationQueues.deliveries}-poison'
    ]
    evidenceUploadsContainerName: names.evidenceUploadsContainer
    evidenceContainerName: names.evidenceContainer
    statementsContainerName: names.statementsContainer
    evidenceRetentionDays: evidenceRetentionYears * 365
    evidencePolicyLocked: evidencePolicyLocked
    softDeleteDays: storageSoftDeleteDays
    webOrigins: webOrigins
  }
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    workspaceName: names.workspace
    appInsightsName: names.appInsights
    location: location
    tags: tags
    retentionInDays: logRetentionInDays
    dailyCapGb: logDailyCapGb
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  scope: rg
  dependsOn: [identity, storage, monitoring]
  params: {
    storageAccountName: names.storage
    appInsightsName: names.appInsights
    identityName: names.identity
    operatorPrincipalId: operatorPrincipalId
  }
}

module vault 'modules/vault.bicep' = {
  name: 'vault'
  scope: rg
  dependsOn: [identity]
  params: {
    name: names.vault
    location: location
    tags: tags
    identityName: names.identity
    signingKeyName: names.signingKey
    bindingSecretName: names.bindingSecret
    outboxBindingKey: outboxBindingKey
  }
}

module app 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: rg
  // The host reaches storage as the identity from its first start: the roles must be there before it.
  dependsOn: [roles]
  params: {
    name: names.app
    planName: names.plan
    location: location
    tags: tags
    identityName: names.identity
    storageAccountName: names.storage
    deploymentContainerName: names.deploymentContainer
    appInsightsName: names.appInsights
    taskHubName: taskHubName
    tablePrefix: tablePrefix
    authIssuer: authIssuer
    authAudience: authAudience
    authMetadataAddress: '${authIssuer}/.well-known/openid-configuration'
    authAllowedClientIds: authAllowedClientIds
    signingKeyUri: vault.outputs.signingKeyUri
    outboxBindingSecretUri: vault.outputs.bindingSecretUri
    notificationFanoutQueue: notificationQueues.fanout
    notificationDeliveryQueue: notificationQueues.deliveries
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
  }
}

@description('Region of the deployment.')
output AZURE_LOCATION string = location

@description('Tenant of the deployment.')
output AZURE_TENANT_ID string = tenant().tenantId

@description('Resource group everything is in (azd down deletes it).')
output AZURE_RESOURCE_GROUP string = rg.name

@description('Name of the Function App.')
output AZURE_FUNCTION_APP_NAME string = names.app

@description('Name of the storage account.')
output AZURE_STORAGE_ACCOUNT_NAME string = names.storage

@description('The Durable Task hub.')
output EVAL_TASK_HUB string = taskHubName

@description('Base URL of the API: append /health, /campaigns, ...')
output API_BASE_URL string = 'https://${app.outputs.defaultHostName}/api'
