// The key that signs the published lists (docs/storage.md, "Statements"): an EC P-256 key in a Key Vault with
// Azure RBAC, which the app's identity may use to sign and read (Key Vault Crypto User on this key alone). The
// private key never leaves the vault; the app asks the vault to sign, and serves the public keys at /api/keys.
// Beside it the outbox binding key, a secret the app reads through a Key Vault reference (Key Vault Secrets User on
// this secret alone), so that its value is in no app setting.

@description('Name of the vault (3 to 24 characters).')
param name string

param location string
param tags object

@description('The app\'s user-assigned identity.')
param identityName string

@description('Name of the signing key.')
param signingKeyName string

@description('Name of the secret that holds the outbox binding key.')
param bindingSecretName string

@description('The outbox binding key (base64 of 32 random bytes or more).')
@secure()
param outboxBindingKey string

// Built-in role: perform cryptographic operations with keys (sign, verify), read their public parts.
var keyVaultCryptoUser = '12338af0-0e69-4776-bea7-57ae8d297424'
// Built-in role: read secrets' values.
var keyVaultSecretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: identityName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    // A signing key deleted by mistake would orphan every list it signed: keep it recoverable, and never purged early.
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource signingKey 'Microsoft.KeyVault/vaults/keys@2023-07-01' = {
  parent: vault
  name: signingKeyName
  properties: {
    kty: 'EC'
    curveName: 'P-256'
    keyOps: ['sign', 'verify']
  }
}

resource appSigns 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(signingKey.id, identity.id, keyVaultCryptoUser)
  scope: signingKey
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultCryptoUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource bindingSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: bindingSecretName
  properties: {
    value: outboxBindingKey
    contentType: 'base64'
  }
}

resource appReadsBinding 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(bindingSecret.id, identity.id, keyVaultSecretsUser)
  scope: bindingSecret
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUser)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

@description('The signing key\'s versionless URI: the app signs with its current version (Keys__VaultKeyId).')
output signingKeyUri string = signingKey.properties.keyUri

@description('The binding secret\'s versionless URI, for the app setting\'s Key Vault reference.')
output bindingSecretUri string = bindingSecret.properties.secretUri
