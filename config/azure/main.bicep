// credwatch on Azure Functions, Flex Consumption plan (Linux, Node 22).
//
// What this creates, all in the target resource group:
//   - a user-assigned managed identity: the only identity the app has. It reads the storage account
//     (host, deployment package, queues, state tables, report blobs), sends telemetry, resolves Key
//     Vault references and gets Microsoft Graph tokens for the home tenant;
//   - a storage account with shared-key access disabled, so the identity is the only way in;
//   - the deployment container, credwatch's queues (and their poison queues) and report container;
//   - a Log Analytics workspace and a workspace-based Application Insights resource;
//   - the Flex Consumption plan (FC1) and the function app;
//   - alert rules that page alertEmail when credwatch itself fails: failed function invocations,
//     and a message moved to a poison queue (a tenant whose scan or report failed every retry).
// Microsoft Graph application permissions are NOT granted here: they are Entra ID app role
// assignments, not Azure RBAC; docs/deploy-azure.md gives the commands.
//
// Deploy: az deployment group create -g <rg> -f config/azure/main.bicep -p config/azure/main.bicepparam
// Names shared with the code live in src/functions/names.ts; test/deploy/bicep.test.ts fails when
// this file, that file and docs/deploy-azure.md disagree.

targetScope = 'resourceGroup'

// ---------------------------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------------------------

@description('Azure region. Not every region offers Flex Consumption: az functionapp list-flexconsumption-locations -o table')
param location string = resourceGroup().location

@description('Start of every resource name: 3-11 lower-case letters or digits (hyphens are dropped from the storage account name).')
@minLength(3)
@maxLength(11)
param namePrefix string = 'credwatch'

@description('When every tenant is scanned: 6-field NCRONTAB (seconds first), always in UTC on Flex Consumption.')
param scanSchedule string = '0 */15 * * * *'

@description('When the weekly report is built and sent: 6-field NCRONTAB, UTC. Default: Mondays 08:00 UTC.')
param reportSchedule string = '0 0 8 * * 1'

@description('Path of the credwatch config file inside the deployed package (npm run package:function copies it as credwatch.json).')
param configFileName string = 'credwatch.json'

@description('Optional: name of an existing Key Vault (Azure RBAC permission model) holding the secrets your config names in its ...Env options. The identity gets Key Vault Secrets User on it. Empty: no vault access is granted.')
param keyVaultName string = ''

@description('Resource group of that Key Vault, in the same subscription. Defaults to this resource group.')
param keyVaultResourceGroupName string = resourceGroup().name

@description('More app settings, e.g. Key Vault references for the variables your config names (privateKeyEnv, certificateEnv, urlEnv, secretEnv). Values are references, never the secrets themselves. Settings not listed here or above are REMOVED by every deployment of this template.')
param extraAppSettings object = {}

@description('Memory of each instance in MB. credwatch streams Graph pages with bounded memory, so the default is plenty.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Upper bound on instances of each function group, 40 to 1000. A full plan of scan waves keeps about 36 instances of 6 scans busy (docs/deploy-azure.md, "Inside the Function app"); a cap costs nothing until used.')
// 40 is the lowest maximum instance count Microsoft documented for Flex Consumption while the plan
// was in preview; the page now says the platform accepts 1
// (https://learn.microsoft.com/azure/azure-functions/event-driven-scaling#limit-scale-out). The
// floor is kept as this template's own: below about 36 instances a full plan of scan waves queues
// behind itself, and on Flex Consumption an unused cap costs nothing.
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('Send telemetry to Application Insights with the managed identity (Microsoft Entra authentication) and refuse instrumentation-key-only ingestion.')
param appInsightsEntraAuth bool = true

@description('Days Log Analytics keeps logs (30 is included in the price of ingestion).')
@minValue(30)
@maxValue(730)
param logRetentionInDays int = 30

@description('Who is paged when credwatch itself fails (failed invocations, a message in a poison queue): an email address or distribution list. Required: a monitor that fails silently looks exactly like a quiet tenant.')
@minLength(3)
param alertEmail string

@description('Failed function invocations within an hour that page alertEmail. A broken timer fails 4 times an hour at the default schedule; one tenant that always fails, 5 times (maxDequeueCount) per scan; a retry that later succeeds, once.')
@minValue(1)
param failedInvocationThreshold int = 3

@description('Tags put on every resource.')
param tags object = {}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

// Deterministic per resource group and prefix, so redeploying updates the same resources.
var token = uniqueString(resourceGroup().id, namePrefix)
var prefix = toLower(namePrefix)
// Storage account names: 3-24 lower-case letters and digits, globally unique.
var storageAccountName = take('st${replace(prefix, '-', '')}${token}', 24)
// The app name is also its host name (<name>.azurewebsites.net), so it must be globally unique.
var functionAppName = '${prefix}-func-${token}'
var planName = '${prefix}-plan-${token}'
var identityName = '${prefix}-id-${token}'
var workspaceName = '${prefix}-log-${token}'
var appInsightsName = '${prefix}-appi-${token}'
var actionGroupName = '${prefix}-ag-${token}'

// Flex Consumption runs the package it finds in this blob container ("one deploy" uploads it there).
// https://learn.microsoft.com/azure/azure-functions/flex-consumption-plan#deployment
var deploymentContainerName = 'app-package'

// Must equal REPORT_CONTAINER in src/functions/names.ts (blobs are <tenant>/<week>/<file>).
var reportContainerName = 'credwatch-reports'

// Must equal SCAN_QUEUE / REPORT_QUEUE and poisonQueueOf() in src/functions/names.ts. The host
// creates queues on demand; creating them here makes them visible (and monitorable) from day one.
// A message that failed maxDequeueCount times (5 by default) is moved to <queue>-poison.
// https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue-trigger
var queueNames = [
  'credwatch-scan'
  'credwatch-scan-poison'
  'credwatch-report'
  'credwatch-report-poison'
]

// ---------------------------------------------------------------------------------------------
// Built-in role definition ids, copied from Microsoft's built-in roles reference (never guessed).
// ---------------------------------------------------------------------------------------------

// Storage Blob Data Owner: host keys and timer locks, the deployment package, report blobs.
// Owner (not Contributor) because the Functions host manages blob leases and containers.
// https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage#storage-blob-data-owner
var storageBlobDataOwnerRoleId = 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'

// Storage Queue Data Contributor: the queue triggers, the per-tenant fan-out and poison queues.
// https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage#storage-queue-data-contributor
var storageQueueDataContributorRoleId = '974c5e8b-45b9-4653-ba55-5f855dd0fb88'

// Storage Table Data Contributor: credwatch's state tables (prefix "credwatch").
// https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/storage#storage-table-data-contributor
var storageTableDataContributorRoleId = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'

// Monitoring Metrics Publisher: needed to ingest any telemetry when Application Insights uses
// Microsoft Entra authentication (the name says metrics; it covers all telemetry).
// https://learn.microsoft.com/azure/role-based-access-control/built-in-roles/monitor#monitoring-metrics-publisher
// https://learn.microsoft.com/azure/azure-monitor/app/azure-ad-authentication
var monitoringMetricsPublisherRoleId = '3913510d-42f4-4e42-8a64-420c390055eb'

var storageRoleIds = [
  storageBlobDataOwnerRoleId
  storageQueueDataContributorRoleId
  storageTableDataContributorRoleId
]

// ---------------------------------------------------------------------------------------------
// Identity
// ---------------------------------------------------------------------------------------------

// User-assigned rather than system-assigned: it exists before the app, so its roles can be in
// place before the host first starts, and it survives deleting and recreating the app. Its
// principalId is the object id of its service principal, which the Graph grants target.
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: identityName
  location: location
  tags: tags
}

// ---------------------------------------------------------------------------------------------
// Storage
// ---------------------------------------------------------------------------------------------

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    allowBlobPublicAccess: false
    // No account keys: the host (AzureWebJobsStorage__credential=managedidentity), the deployment
    // and credwatch itself all use the identity. Flex Consumption needs no Azure Files share, so
    // nothing requires a key. https://learn.microsoft.com/samples/azure/azure-quickstart-templates/function-app-flex-managed-identities
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowCrossTenantReplication: false
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource reportContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: reportContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [
  for queueName in queueNames: {
    parent: queueService
    name: queueName
  }
]

// Data-plane roles on the whole account: the host picks its own container and queue names.
resource storageRoleAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in storageRoleIds: {
    name: guid(storage.id, identity.id, roleId)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: identity.properties.principalId
      // Set explicitly so the assignment does not fail while the new identity replicates.
      principalType: 'ServicePrincipal'
    }
  }
]

// ---------------------------------------------------------------------------------------------
// Monitoring
// ---------------------------------------------------------------------------------------------

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionInDays
  }
}

// Workspace-based (classic Application Insights is retired); queries work both here and in the
// workspace (traces here = AppTraces there).
resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    // With Entra authentication on, telemetry sent with the connection string alone is refused.
    DisableLocalAuth: appInsightsEntraAuth
  }
}

resource metricsPublisherAssignment 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (appInsightsEntraAuth) {
  name: guid(appInsights.id, identity.id, monitoringMetricsPublisherRoleId)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', monitoringMetricsPublisherRoleId)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// ---------------------------------------------------------------------------------------------
// Key Vault access (optional)
// ---------------------------------------------------------------------------------------------

// A module, so the vault may live in another resource group and nothing is evaluated without one.
module keyVaultAccess 'keyvault-access.bicep' = if (!empty(keyVaultName)) {
  name: '${prefix}-keyvault-access'
  scope: resourceGroup(keyVaultResourceGroupName)
  params: {
    keyVaultName: keyVaultName
    principalId: identity.properties.principalId
  }
}

// ---------------------------------------------------------------------------------------------
// Function app
// ---------------------------------------------------------------------------------------------

// https://learn.microsoft.com/azure/azure-functions/flex-consumption-how-to
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
    // Linux. Flex Consumption runs only on Linux.
    reserved: true
  }
}

// The storage endpoints in the cloud this deployment runs in: environment().suffixes.storage is
// core.windows.net in Azure, core.usgovcloudapi.net in Azure Government, core.chinacloudapi.cn in
// Azure operated by 21Vianet. https://learn.microsoft.com/azure/azure-resource-manager/bicep/bicep-functions-deployment#environment
var storageServiceUri = {
  blob: 'https://${storage.name}.blob.${environment().suffixes.storage}'
  queue: 'https://${storage.name}.queue.${environment().suffixes.storage}'
  table: 'https://${storage.name}.table.${environment().suffixes.storage}'
}

// The settings credwatch and the host read. On Flex Consumption the runtime and its version are
// properties of functionAppConfig, not app settings: FUNCTIONS_WORKER_RUNTIME,
// FUNCTIONS_EXTENSION_VERSION, WEBSITE_RUN_FROM_PACKAGE, WEBSITE_NODE_DEFAULT_VERSION and the
// WEBSITE_CONTENT* settings must not be set. WEBSITE_TIME_ZONE / TZ are not supported on Flex
// Consumption (they can break TLS and metrics), so schedules are UTC.
// https://learn.microsoft.com/azure/azure-functions/functions-app-settings#flex-consumption-plan-deprecations
// https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer
var appSettingsBase = {
  // Identity-based host storage: service URIs + managed identity + which (user-assigned) identity.
  // URIs rather than AzureWebJobsStorage__accountName, which assumes core.windows.net and does not
  // work in a sovereign cloud (US Government, China); credwatch reads the same settings.
  // https://learn.microsoft.com/azure/azure-functions/functions-reference#connecting-to-host-storage-with-an-identity
  AzureWebJobsStorage__blobServiceUri: storageServiceUri.blob
  AzureWebJobsStorage__queueServiceUri: storageServiceUri.queue
  AzureWebJobsStorage__tableServiceUri: storageServiceUri.table
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identity.properties.clientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
  CREDWATCH_CONFIG: configFileName
  CREDWATCH_SCAN_SCHEDULE: scanSchedule
  CREDWATCH_REPORT_SCHEDULE: reportSchedule
}

// Tells the host (and the Application Insights SDK) to authenticate telemetry with this identity.
// https://learn.microsoft.com/azure/azure-functions/configure-monitoring
// Added only when appInsightsEntraAuth is true (see functionAppSettings).
var appSettingsEntraAuth = {
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  tags: tags
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
    // Key Vault references use the system-assigned identity unless told otherwise; this app has
    // only the user-assigned one. https://learn.microsoft.com/azure/app-service/app-service-key-vault-references
    keyVaultReferenceIdentity: identity.id
    siteConfig: {
      minTlsVersion: '1.2'
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
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
  }
  // The roles first, so the host's first start finds its storage readable (RBAC can still take a
  // few minutes to apply; the host retries).
  dependsOn: [
    storageRoleAssignments
    deploymentContainer
  ]
}

// A complete replacement of the app's settings on every deployment: anything set by hand with
// `az functionapp config appsettings set` is removed, so put extra settings in extraAppSettings.
resource functionAppSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: functionApp
  name: 'appsettings'
  properties: union(appSettingsBase, appInsightsEntraAuth ? appSettingsEntraAuth : {}, extraAppSettings)
}

// ---------------------------------------------------------------------------------------------
// Alerts on credwatch itself: a monitor that stopped working must page someone
// ---------------------------------------------------------------------------------------------

// https://learn.microsoft.com/azure/azure-monitor/alerts/action-groups
resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: actionGroupName
  location: 'global'
  tags: tags
  properties: {
    // At most 12 characters; it starts the SMS and email subject lines.
    groupShortName: take(prefix, 12)
    enabled: true
    emailReceivers: [
      {
        name: 'credwatch-operator'
        emailAddress: alertEmail
        useCommonAlertSchema: true
      }
    ]
  }
}

// Every function invocation is a request in Application Insights, failed when the function threw:
// the timers (a bad configuration fails every tick) and the queue triggers (each failed attempt
// of a tenant's scan or report). A retry that later succeeds fails once, hence the threshold.
// https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-insights-components-metrics
resource failedInvocationsAlert 'Microsoft.Insights/metricAlerts@2018-03-01' = {
  name: '${prefix}-failed-invocations-${token}'
  location: 'global'
  tags: tags
  properties: {
    description: 'credwatch function invocations failed ${failedInvocationThreshold} or more times in an hour: scans or reports are not running. Look at the exceptions in ${appInsightsName} (docs/deploy-azure.md, Monitoring).'
    severity: 1
    enabled: true
    scopes: [
      appInsights.id
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT1H'
    criteria: {
      'odata.type': 'Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria'
      allOf: [
        {
          criterionType: 'StaticThresholdCriterion'
          name: 'failed-invocations'
          metricNamespace: 'microsoft.insights/components'
          metricName: 'requests/failed'
          operator: 'GreaterThanOrEqual'
          threshold: failedInvocationThreshold
          timeAggregation: 'Count'
        }
      ]
    }
    autoMitigate: true
    actions: [
      {
        actionGroupId: actionGroup.id
      }
    ]
  }
}

// The poison queues. Azure Storage's queue metric (QueueMessageCount) counts the messages of the
// whole account, hourly, with no per-queue dimension, so it cannot tell a poison message from a
// wave of scan messages waiting their turn.
// https://learn.microsoft.com/azure/azure-monitor/reference/supported-metrics/microsoft-storage-storageaccounts-queueservices-metrics
// Instead the queue service's write log goes to the workspace, and a log alert fires on every
// message the host puts into a -poison queue (a PutMessage on it), which is the moment a tenant's
// scan or report has failed every retry. Only StorageWrite is sent (puts, updates), not the polls.
// https://learn.microsoft.com/azure/azure-monitor/reference/tables/storagequeuelogs
// diagnosticSettings has no API version newer than this preview.
// https://learn.microsoft.com/azure/templates/microsoft.insights/change-log/diagnosticsettings
resource queueWriteLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'credwatch-queue-writes'
  scope: queueService
  properties: {
    workspaceId: workspace.id
    logs: [
      {
        category: 'StorageWrite'
        enabled: true
      }
    ]
  }
}

var poisonQuery = 'StorageQueueLogs | where OperationName == "PutMessage" and Uri has "-poison/messages" | extend queue = tostring(split(tostring(parse_url(Uri).Path), "/")[1]) | summarize messages = count() by queue'

// https://learn.microsoft.com/azure/azure-monitor/alerts/alerts-create-log-alert-rule
resource poisonMessageAlert 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${prefix}-poison-message-${token}'
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    description: 'A message reached a credwatch poison queue: a tenant\'s scan or report failed every retry. Read the message (it names the tenant) and that tenant\'s exceptions in ${appInsightsName}, then delete it (docs/deploy-azure.md, Monitoring).'
    severity: 1
    enabled: true
    scopes: [
      workspace.id
    ]
    evaluationFrequency: 'PT15M'
    windowSize: 'PT15M'
    criteria: {
      allOf: [
        {
          query: poisonQuery
          timeAggregation: 'Total'
          metricMeasureColumn: 'messages'
          dimensions: [
            {
              name: 'queue'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    // A new workspace has no StorageQueueLogs table until the first write is logged, and a query
    // on a table that does not exist yet fails validation.
    skipQueryValidation: true
    autoMitigate: false
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
  // The table exists in the workspace only once the diagnostic setting sends to it.
  dependsOn: [
    queueWriteLogs
  ]
}

// ---------------------------------------------------------------------------------------------
// Outputs (docs/deploy-azure.md uses them)
// ---------------------------------------------------------------------------------------------

output functionAppName string = functionApp.name
output identityName string = identity.name
@description('For tenants[].auth = { "mode": "managedIdentity", "clientId": ... } and AzureWebJobsStorage__clientId.')
output identityClientId string = identity.properties.clientId
@description('Object id of the identity\'s service principal: the principal of the Microsoft Graph app role assignments and of New-ServicePrincipal -ObjectId.')
output identityPrincipalId string = identity.properties.principalId
output identityResourceId string = identity.id
output storageAccountName string = storage.name
output reportContainerUrl string = '${storage.properties.primaryEndpoints.blob}${reportContainerName}'
output applicationInsightsName string = appInsights.name
