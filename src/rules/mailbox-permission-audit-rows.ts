/**
 * The docs/rules.md section on how the three grant activities name the app that received the
 * permissions, field by field, with where each fact comes from. It lives next to the rule that
 * reads those rows (`mailbox-permission-granted`) so both change together; `npm run docs` renders it.
 */

const SENTINEL = 'https://github.com/Azure/Azure-Sentinel/blob/master/Solutions/Microsoft%20Entra%20ID/Analytic%20Rules';

/** The sources the section cites, by short name. */
const SOURCES = [
  '- **[OTRF]** the real "Add delegated permission grant" row of the OTRF Golden SAML dataset (SimuLand lab, 2021), kept byte for byte in `test/fixtures/real/otrf-goldensaml/AADAuditEvents.json`; `test/replay/golden-saml.test.ts` replays it.',
  '- **[SecOps]** Microsoft Entra security operations guide for applications, "Application granted highly privileged permissions" and "End-user consent": <https://learn.microsoft.com/entra/architecture/security-operations-applications>.',
  '- **[Grant]** oAuth2PermissionGrant resource type (`clientId` and `resourceId` are service principal object ids, not app ids): <https://learn.microsoft.com/graph/api/resources/oauth2permissiongrant>.',
  `- **[RoleMgmt]** Microsoft Sentinel rule "Microsoft Entra ID Role Management Permission Grant" (tagged SimuLand): for both assignment activities it reads the permission from \`AppRole.Value\` or \`DelegatedPermissionGrant.Scope\`, and the app from \`ServicePrincipal.DisplayName\` and \`ServicePrincipal.ObjectID\`, of the target that carries them: <${SENTINEL}/AzureADRoleManagementPermissionGrant.yaml>.`,
  `- **[MailRead]** Microsoft Sentinel rule "Mail.Read Permissions Granted to Application": reports the delegated grant row's target name as \`PermissionsAddedTo\` (the API) and takes the app from the "Consent to application" row with the same \`CorrelationId\`, whose ServicePrincipal target is the app: <${SENTINEL}/MailPermissionsAddedToApplication.yaml>.`,
  `- **[FullAccess]** Microsoft Sentinel rule "full_access_as_app Granted To Application": on "Consent to application" the target's \`displayName\` is the OAuth app, \`TargetId.ServicePrincipalNames\` its app id, and \`ConsentAction.Permissions\` is parsed for \`ConsentType:\` and \`Scope:\`: <${SENTINEL}/ExchangeFullAccessGrantedToApp.yaml>.`,
];

const DELEGATED = [
  '### Add delegated permission grant',
  '',
  '| field | what it holds | source |',
  '|---|---|---|',
  '| `targetResources[0]` | the **API** the scopes are for: its service principal `id`, `displayName` (`Microsoft Graph`), `type` `ServicePrincipal` | OTRF, SecOps ("Target(s) identifies an API") |',
  '| `…modifiedProperties` `DelegatedPermissionGrant.Scope` | the whole scope list before and after, JSON-quoted and space-separated (`"User.Read"` → `"User.Read Mail.ReadWrite"`); `oldValue` null for a new grant | OTRF |',
  '| `DelegatedPermissionGrant.ConsentType` | `AllPrincipals` (every user) or `Principal` (one user), before and after | OTRF, SecOps |',
  "| `ServicePrincipal.ObjectID` | `newValue`: the **client** service principal's object id | OTRF, RoleMgmt |",
  "| `ServicePrincipal.DisplayName`, `ServicePrincipal.AppId`, `ServicePrincipal.Name` | null in the real row: the client's name and app id are **not** logged | OTRF |",
  "| `TargetId.ServicePrincipalNames` | the API's service principal names, `;`-separated, its app id (`00000003-0000-0000-c000-000000000000`) among them | OTRF |",
  '| `targetResources[1]` | the client again: `id` = `ServicePrincipal.ObjectID`, `displayName` null, no properties | OTRF |',
  '',
  'credwatch: the client is `ServicePrincipal.ObjectID` (else the target that is not the API), looked up in the inventory **by service principal id**; the grant is the new scope list minus the old one (`Mail.ReadWrite` in the OTRF row, not `User.Read`).',
  '',
];

const ROLE = [
  '### Add app role assignment to service principal',
  '',
  '| field | what it holds | source |',
  '|---|---|---|',
  '| `targetResources[0]` | the **API** that defines the role (Microsoft Graph, Office 365 Exchange Online) | SecOps ("Target(s) identifies an API with sensitive data") |',
  '| `AppRole.Value` (with `AppRole.Id`) | `newValue`: the application permission granted, e.g. `Mail.ReadWrite`, `full_access_as_app`, `IMAP.AccessAsApp` | SecOps, RoleMgmt |',
  '| `ServicePrincipal.ObjectID`, `ServicePrincipal.DisplayName` | the **client** service principal that received the role | RoleMgmt |',
  "| `ServicePrincipal.AppId` | read as the client's app id when the row logs one; no row we can cite shows it (the delegated-grant row logs null) | — |",
  "| `TargetId.ServicePrincipalNames` | read for the API's app id, as in the delegated-grant row | — |",
  '',
  'No real row of this activity is kept in this repository; credwatch reads it like the delegated grant: client from `ServicePrincipal.ObjectID`, API from the first target, grant = new minus old `AppRole.Value`.',
  '',
];

const CONSENT = [
  '### Consent to application',
  '',
  '| field | what it holds | source |',
  '|---|---|---|',
  "| `targetResources[0]` | the **client** app's service principal: `id`, `displayName` | FullAccess, MailRead |",
  '| `ConsentContext.IsAdminConsent`, `ConsentContext.OnBehalfOfAll` | `"True"`/`"False"`: an administrator consenting, for every user | SecOps (`IsAdminConsent = false` is end-user consent) |',
  '| `ConsentAction.Permissions` | `newValue`: the grants before and after the consent, `[before] => [after]; `, each `[Id: …, ClientId: <client object id>, PrincipalId: …, ResourceId: <API object id>, ConsentType: …, Scope: <names>, …]`; `[]` before a first consent | FullAccess (`ConsentType:`, `Scope:`), Grant (what ClientId and ResourceId are) |',
  "| `TargetId.ServicePrincipalNames` | the client's names, its app id among them | FullAccess |",
  '',
  'credwatch: the client is the target; the grant is, per `ResourceId`, the scopes after minus those before; the API is known only by its object id and is named from the inventory. A consent is also logged as "Add delegated permission grant" under the same `correlationId` (MailRead joins them): both rows name the same client, so their findings share one alert.',
  '',
];

/** The section, as markdown: rendered after the rule sections of docs/rules.md. */
export const GRANT_AUDIT_ROWS_DOC: string = [
  '## How grant audit rows name the app',
  '',
  '`mailbox-permission-granted` alerts on the **client** app that received mailbox permissions. The three grant activities name it in different places, and two of them put the API (Microsoft Graph, Exchange) first, so reading the first target would blame Microsoft Graph and merge grants to different apps into one alert. Scope values are whole lists before and after the change: only the names the change added are the grant. Field by field:',
  '',
  ...DELEGATED,
  ...ROLE,
  ...CONSENT,
  'Sources:',
  '',
  ...SOURCES,
  '',
].join('\n');
