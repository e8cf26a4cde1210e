// Lets credwatch's identity read secrets from an existing Key Vault, for app settings that are Key
// Vault references (@Microsoft.KeyVault(SecretUri=...)). Deployed by main.bicep into the vault's
// resource group when keyVaultName is set.
//
// The vault must use the Azure RBAC permission model (enableRbacAuthorization); a vault that uses
// access policies ignores this role, so grant "Get" on secrets with an access policy instead.

@description('Name of the existing Key Vault, in the resource group this module is deployed to.')
param keyVaultName string

@description('principalId (service principal object id) of credwatch\'s user-assigned identity.')
param principalId string

// Key Vault Secrets User: read secret contents, nothing else.
// https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/security#key-vault-secrets-user
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, keyVaultSecretsUserRoleId)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
