// The Function App on a Flex Consumption plan: .NET 10 isolated worker, running as the user-assigned
// identity, deployed from a blob container, with every setting the app reads (tests/Eval.UnitTests/Infra
// checks the list against the code).

@description('Name of the Function App; its host name is <name>.azurewebsites.net.')
param name string

@description('Name of the Flex Consumption plan.')
param planName string

@description('Region of the plan and the app; it must offer Flex Consumption.')
param location string

@description('Tags of the plan and the app (the app also gets azd-service-name).')
param tags object

@description('The user-assigned identity the app runs as.')
param identityName string

@description('The storage account of the app and its task hub.')
param storageAccountName string

@description('Blob container the package is deployed to.')
param deploymentContainerName string

@description('The Application Insights component.')
param appInsightsName string

@description('EvalTaskHub: the Durable Task hub name.')
param taskHubName string

@description('Storage__TablePrefix: prepended to every table the app writes.')
param tablePrefix string

@description('Auth__Issuer: the iss of the access tokens the API accepts.')
param authIssuer string

@description('Auth__Audience: the aud of those tokens.')
param authAudience string

@description('Auth__MetadataAddress: the OpenID configuration the signing keys come from.')
param authMetadataAddress string

@description('Auth__AllowedClientIds: comma-separated client ids whose tokens are accepted (azp or appid); empty for any.')
param authAllowedClientIds string

@description('Keys__VaultKeyId: the versionless URI of the Key Vault key that signs the published lists.')
param signingKeyUri string
@description('Outbox__BindingKey: the Key Vault secret (versionless URI) that binds kept events to their claims.')
param outboxBindingSecretUri string

@description('Notifications__FanoutQueue: the queue of kept notifications to fan out to their webhook subscriptions.')
param notificationFanoutQueue string

@description('Notifications__DeliveryQueue: the queue of webhook delivery attempts.')
param notificationDeliveryQueue string

@description('Memory of each instance in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int

@description('Most instances the plan scales out to.')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
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

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: [
        // The Functions host (and the task hub) reach storage as the identity: no connection string exists.
        { name: 'AzureWebJobsStorage__accountName', value: storage.name }
        { name: 'AzureWebJobsStorage__blobServiceUri', value: storage.properties.primaryEndpoints.blob }
        { name: 'AzureWebJobsStorage__queueServiceUri', value: storage.properties.primaryEndpoints.queue }
        { name: 'AzureWebJobsStorage__tableServiceUri', value: storage.properties.primaryEndpoints.table }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'AzureWebJobsStorage__clientId', value: identity.properties.clientId }
        { name: 'EvalTaskHub', value: taskHubName }
        { name: 'Storage__TablePrefix', value: tablePrefix }
        { name: 'Auth__Issuer', value: authIssuer }
        { name: 'Auth__Audience', value: authAudience }
        { name: 'Auth__MetadataAddress', value: authMetadataAddress }
        { name: 'Auth__AllowedClientIds', value: authAllowedClientIds }
        { name: 'Keys__VaultKeyId', value: signingKeyUri }
        // A Key Vault reference, resolved by the platform as the identity: the key's value is in no setting.
        { name: 'Outbox__BindingKey', value: '@Microsoft.KeyVault(SecretUri=${outboxBindingSecretUri})' }
        // Read by the queue triggers (%Notifications:FanoutQueue%) and by the app, which sends to them.
        { name: 'Notifications__FanoutQueue', value: notificationFanoutQueue }
        { name: 'Notifications__DeliveryQueue', value: notificationDeliveryQueue }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
        {
          name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'
          value: 'ClientId=${identity.properties.clientId};Authorization=AAD'
        }
      ]
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storage.properties.primaryEndpoints.blob}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identity.id
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
    }
  }
}

// Deployments go through Entra ID (azd uses the signed-in account); publishing user names and passwords are off.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

@description('Name of the app.')
output name string = app.name

@description('Default host name, without scheme.')
output defaultHostName string = app.properties.defaultHostName
