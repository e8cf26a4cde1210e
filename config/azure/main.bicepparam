// Example parameters for main.bicep. Copy this file, adjust it, and deploy with
//   az deployment group create -g <resource group> -f config/azure/main.bicep -p config/azure/main.bicepparam
// (.bicepparam files need a recent Azure CLI; its built-in Bicep compiles them.)
using 'main.bicep'

// Must offer Flex Consumption: az functionapp list-flexconsumption-locations -o table
param location = 'westeurope'

param namePrefix = 'credwatch'

// 6-field NCRONTAB (seconds first), UTC.
param scanSchedule = '0 */15 * * * *'
param reportSchedule = '0 0 8 * * 1'

// Paged when credwatch itself fails (failed invocations, a poison-queue message). Use a mailbox
// someone reads: a silent monitor looks exactly like a quiet tenant.
param alertEmail = 'secops-oncall@contoso.com'

// An existing vault (Azure RBAC permission model) holding the secrets named below.
param keyVaultName = 'kv-credwatch'

// The environment variables your credwatch.json names, filled from Key Vault. These are
// references, not secrets: the platform resolves them with the app's identity at start-up.
// Every deployment replaces all app settings, so keep every extra setting here.
param extraAppSettings = {
  // tenants[].auth.privateKeyEnv and certificateEnv of a customer tenant reached through an app
  // registration (one secret holding the PEM private key and certificate).
  FABRIKAM_CREDWATCH_PEM: '@Microsoft.KeyVault(SecretUri=https://kv-credwatch.vault.azure.net/secrets/fabrikam-credwatch-pem/)'
  // channels[].urlEnv of the Teams channel (a Workflows webhook URL).
  CREDWATCH_TEAMS_URL: '@Microsoft.KeyVault(SecretUri=https://kv-credwatch.vault.azure.net/secrets/credwatch-teams-url/)'
}
