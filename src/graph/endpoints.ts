/**
 * The contract of every Microsoft Graph call credwatch makes, read from each call's reference page:
 * path, version, the application permission it needs, the query options the page documents, the
 * `$filter` properties and operators its resource page allows, the page size, and the throttle
 * bucket. `checkGraphRequest` refuses anything else before it is sent (a programming error: the
 * first wave sent `$select` to sign-ins, which Graph refuses, and read no sign-in at all), and
 * `docs/graph-calls.md` is generated from this table.
 *
 * The simulator keeps its own, independent reading of the same pages (src/simulator/graph); a
 * disagreement between the two is what the tests are for.
 */

/** A system query option as it appears in a URL. */
export type QueryOption = '$select' | '$filter' | '$top' | '$skiptoken' | '$orderby' | '$count' | '$expand' | '$search' | '$skip';

/** How Graph throttles a call; budgets for the first three are enforced client-side (rate-limit.ts). */
export type ThrottleBucket = 'reports' | 'namedLocations' | 'directory' | 'outlook' | 'batch' | 'auditLogQuery';

/** A property a `$filter` may name, with the operators its resource page lists for it. */
export interface FilterRule {
  readonly property: string;
  /** `any` is a lambda over a collection: `signInEventTypes/any(t: t eq 'servicePrincipal')`. */
  readonly operators: readonly ('eq' | 'ne' | 'ge' | 'gt' | 'le' | 'lt' | 'any' | 'startswith')[];
}

export interface GraphEndpoint {
  /** Stable name used in docs and doctor: `signIns.list`. */
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly version: 'v1.0' | 'beta';
  /** The path as the reference page writes it. */
  readonly path: string;
  /** Matches the concrete path after the version segment. */
  readonly pattern: RegExp;
  /** Application permissions the call needs, all of them (least privileged first). */
  readonly permissions: readonly string[];
  readonly queryOptions: readonly QueryOption[];
  readonly filters?: readonly FilterRule[];
  /** Graph's maximum page size for `$top`. */
  readonly maxPageSize?: number;
  readonly throttle: ThrottleBucket;
  /** A `$select` naming keyCredentials costs from a separate 150-per-minute-per-tenant budget. */
  readonly keyCredentialsBudget?: boolean;
  /**
   * False for a call that creates something (an audit log query): sent once, never again after an
   * answer that may not have reached us, since a second send would create a second object. Only a
   * 429 (Graph did not take the request) is sent again.
   */
  readonly resendable?: false;
  /** The Microsoft reference page this entry follows. */
  readonly reference: string;
  /** What the page says (or leaves unsaid) that shaped the entry. */
  readonly note: string;
}

const GUID = '[0-9a-fA-F-]{36}';
const APP_ID_KEY = `\\(appId='${GUID}'\\)`;
/** Resource pages: applications and servicePrincipals list "Supports $filter (eq …)" on these. */
const DIRECTORY_FILTERS: readonly FilterRule[] = [
  { property: 'appId', operators: ['eq'] },
  { property: 'id', operators: ['eq'] },
  { property: 'displayName', operators: ['eq', 'startswith'] },
];

/**
 * What the four audit log query calls share: v1.0, no query option named on their pages, and one
 * permission (the pages list one per Microsoft 365 service; mail access records are Exchange's).
 */
const AUDIT_LOG_QUERY = {
  version: 'v1.0',
  permissions: ['AuditLogsQuery-Exchange.Read.All'],
  queryOptions: [],
  throttle: 'auditLogQuery',
} as const;

export const GRAPH_ENDPOINTS: readonly GraphEndpoint[] = [
  {
    name: 'signIns.list',
    method: 'GET',
    version: 'beta',
    path: '/auditLogs/signIns',
    pattern: /^\/auditLogs\/signIns$/,
    permissions: ['AuditLog.Read.All', 'Directory.Read.All'],
    queryOptions: ['$filter', '$top', '$skiptoken'],
    filters: [
      { property: 'signInEventTypes', operators: ['any'] },
      // The signIn resource page: createdDateTime "Supports $filter (eq, le, ge)".
      { property: 'createdDateTime', operators: ['ge', 'le', 'eq'] },
      { property: 'appId', operators: ['eq'] },
      { property: 'servicePrincipalId', operators: ['eq'] },
      { property: 'ipAddress', operators: ['eq'] },
    ],
    maxPageSize: 1000,
    throttle: 'reports',
    reference: 'https://learn.microsoft.com/graph/api/signin-list?view=graph-rest-beta',
    note: 'Only $top, $skiptoken and $filter are documented; $select is refused with 400 "Query option \'Select\' is not allowed", so records come back whole and are projected client-side. Service-principal sign-ins need the signInEventTypes filter and the beta endpoint (their credential fields are beta-only). Needs Entra ID P1/P2.',
  },
  {
    name: 'directoryAudits.list',
    method: 'GET',
    version: 'v1.0',
    path: '/auditLogs/directoryAudits',
    pattern: /^\/auditLogs\/directoryAudits$/,
    permissions: ['AuditLog.Read.All', 'Directory.Read.All'],
    queryOptions: ['$filter', '$top', '$orderby', '$skiptoken'],
    filters: [
      // The list page names the operators (eq, ge, le, startswith), the directoryAudit resource page
      // the properties; category has no filter note there, so credwatch filters it client-side.
      { property: 'activityDateTime', operators: ['ge', 'le'] },
      { property: 'activityDisplayName', operators: ['eq', 'startswith'] },
    ],
    maxPageSize: 1000,
    throttle: 'reports',
    reference: 'https://learn.microsoft.com/graph/api/directoryaudit-list',
    note: 'Documents $filter (eq, ge, le, startswith), $top, $orderby and skiptoken; no $select, so records come back whole. Shares the reports budget with sign-ins.',
  },
  {
    name: 'servicePrincipals.list',
    method: 'GET',
    version: 'v1.0',
    path: '/servicePrincipals',
    pattern: /^\/servicePrincipals$/,
    permissions: ['Application.Read.All'],
    queryOptions: ['$count', '$expand', '$filter', '$orderby', '$search', '$select', '$top'],
    filters: DIRECTORY_FILTERS,
    maxPageSize: 999,
    throttle: 'directory',
    keyCredentialsBudget: true,
    reference: 'https://learn.microsoft.com/graph/api/serviceprincipal-list',
    note: 'Default page 100, maximum 999. keyCredentials[].key is returned only when keyCredentials is named in $select, and such requests are limited to 150 per minute per tenant.',
  },
  {
    name: 'servicePrincipals.getByAppId',
    method: 'GET',
    version: 'v1.0',
    path: "/servicePrincipals(appId='{appId}')",
    pattern: new RegExp(`^/servicePrincipals${APP_ID_KEY}$`),
    permissions: ['Application.Read.All'],
    queryOptions: ['$select', '$expand'],
    throttle: 'directory',
    keyCredentialsBudget: true,
    reference: 'https://learn.microsoft.com/graph/api/serviceprincipal-get',
    note: "Addressed by appId; $select and $expand are documented. Used for the mailbox resources' appRoles.",
  },
  {
    name: 'servicePrincipals.appRoleAssignedTo',
    method: 'GET',
    version: 'v1.0',
    path: "/servicePrincipals(appId='{appId}')/appRoleAssignedTo",
    pattern: new RegExp(`^/servicePrincipals(?:${APP_ID_KEY}|/${GUID})/appRoleAssignedTo$`),
    permissions: ['Application.Read.All'],
    queryOptions: ['$count', '$filter', '$orderby', '$search', '$select', '$top', '$expand'],
    filters: [{ property: 'principalId', operators: ['eq'] }],
    maxPageSize: 999,
    throttle: 'directory',
    reference: 'https://learn.microsoft.com/graph/api/serviceprincipal-list-approleassignedto',
    note: 'One paged call per resource lists every principal holding one of its app roles. The page says it supports "the OData query parameters" without a list; credwatch uses only $select and $top, which every directory collection supports.',
  },
  {
    name: 'oauth2PermissionGrants.list',
    method: 'GET',
    version: 'v1.0',
    path: '/oauth2PermissionGrants',
    pattern: /^\/oauth2PermissionGrants$/,
    permissions: ['Directory.Read.All'],
    queryOptions: ['$filter', '$select', '$top'],
    filters: [
      { property: 'clientId', operators: ['eq'] },
      { property: 'resourceId', operators: ['eq'] },
      { property: 'consentType', operators: ['eq'] },
    ],
    maxPageSize: 999,
    throttle: 'directory',
    reference: 'https://learn.microsoft.com/graph/api/oauth2permissiongrant-list',
    note: 'The page says it supports "the OData query parameters" without a list; $select and $top are the generic directory options.',
  },
  {
    name: 'applications.list',
    method: 'GET',
    version: 'v1.0',
    path: '/applications',
    pattern: /^\/applications$/,
    permissions: ['Application.Read.All'],
    queryOptions: ['$count', '$expand', '$filter', '$orderby', '$search', '$select', '$top'],
    filters: DIRECTORY_FILTERS,
    maxPageSize: 999,
    throttle: 'directory',
    keyCredentialsBudget: true,
    reference: 'https://learn.microsoft.com/graph/api/application-list',
    note: 'Default page 100, maximum 999. keyCredentials[].key is returned only when keyCredentials is named in $select (150 such requests per minute per tenant).',
  },
  {
    name: 'applications.get',
    method: 'GET',
    version: 'v1.0',
    path: '/applications/{id}',
    pattern: new RegExp(`^/applications/${GUID}$`),
    permissions: ['Application.Read.All'],
    queryOptions: ['$select'],
    throttle: 'directory',
    keyCredentialsBudget: true,
    reference: 'https://learn.microsoft.com/graph/api/application-get',
    note: 'Single-object read; $select documented.',
  },
  {
    name: 'servicePrincipals.get',
    method: 'GET',
    version: 'v1.0',
    path: '/servicePrincipals/{id}',
    pattern: new RegExp(`^/servicePrincipals/${GUID}$`),
    permissions: ['Application.Read.All'],
    queryOptions: ['$select', '$expand'],
    throttle: 'directory',
    keyCredentialsBudget: true,
    reference: 'https://learn.microsoft.com/graph/api/serviceprincipal-get',
    note: 'Single-object read; $select and $expand documented.',
  },
  {
    name: 'applications.federatedIdentityCredentials',
    method: 'GET',
    version: 'v1.0',
    path: '/applications/{id}/federatedIdentityCredentials',
    pattern: new RegExp(`^/applications(?:/${GUID}|${APP_ID_KEY})/federatedIdentityCredentials$`),
    permissions: ['Application.Read.All'],
    queryOptions: ['$filter', '$select'],
    filters: [
      { property: 'subject', operators: ['eq'] },
      { property: 'name', operators: ['eq'] },
    ],
    throttle: 'directory',
    reference: 'https://learn.microsoft.com/graph/api/application-list-federatedidentitycredentials',
    note: 'Documents $filter (eq) and $select only (no $top). An application holds at most 20 federated identity credentials, so one page holds them all.',
  },
  {
    name: 'namedLocations.list',
    method: 'GET',
    version: 'v1.0',
    path: '/identity/conditionalAccess/namedLocations',
    pattern: /^\/identity\/conditionalAccess\/namedLocations$/,
    permissions: ['Policy.Read.All'],
    queryOptions: ['$count', '$filter', '$orderby', '$select', '$skip', '$top'],
    filters: [{ property: 'displayName', operators: ['eq', 'startswith'] }],
    throttle: 'namedLocations',
    reference: 'https://learn.microsoft.com/graph/api/conditionalaccessroot-list-namedlocations',
    note: "ipRanges belongs to the derived type ipNamedLocation; Microsoft's examples select derived properties only with a cast, so credwatch reads whole objects. 1 request per second per tenant, 429 without Retry-After.",
  },
  {
    name: 'users.sendMail',
    method: 'POST',
    version: 'v1.0',
    path: '/users/{id | userPrincipalName}/sendMail',
    pattern: /^\/users\/[^/]+\/sendMail$/,
    permissions: ['Mail.Send'],
    queryOptions: [],
    throttle: 'outlook',
    reference: 'https://learn.microsoft.com/graph/api/user-sendmail',
    note: '202 Accepted with an empty body. Outlook limits apply per mailbox (10,000 requests per 10 minutes, 4 concurrent); credwatch sends one request at a time.',
  },
  // Audit log queries (Microsoft Purview audit search through Graph). v1.0; "global-only": the
  // pages' national-cloud table lists only the global service. The pages name one permission per
  // Microsoft 365 service; mail access records are Exchange's, so AuditLogsQuery-Exchange.Read.All
  // is the least privileged that reads them (AuditLogsQuery.Read.All reads every service's).
  {
    name: 'auditLogQueries.create',
    method: 'POST',
    ...AUDIT_LOG_QUERY,
    path: '/security/auditLog/queries',
    pattern: /^\/security\/auditLog\/queries$/,
    resendable: false,
    reference: 'https://learn.microsoft.com/graph/api/security-auditcoreroot-post-auditlogqueries',
    note: '201 Created with the auditLogQuery. Body properties credwatch sends: displayName, filterStartDateTime, filterEndDateTime, operationFilters, ipAddressFilters (all documented as optional). The create page calls the service filter `serviceFilter` (string) while the resource page calls it `serviceFilters` (collection): credwatch sends neither. Creating is not idempotent, so it is never resent after an unclear answer; the displayName carries an intent id that is looked up instead (docs/blast-radius.md).',
  },
  {
    name: 'auditLogQueries.list',
    method: 'GET',
    ...AUDIT_LOG_QUERY,
    path: '/security/auditLog/queries',
    pattern: /^\/security\/auditLog\/queries$/,
    reference: 'https://learn.microsoft.com/graph/api/security-auditcoreroot-list-auditlogqueries',
    note: 'Says it supports "some of the OData query parameters" without naming one, so credwatch sends none and matches displayName client-side (finding a query whose create answer was lost).',
  },
  {
    name: 'auditLogQueries.get',
    method: 'GET',
    ...AUDIT_LOG_QUERY,
    path: '/security/auditLog/queries/{auditLogQueryId}',
    pattern: /^\/security\/auditLog\/queries\/[^/]+$/,
    reference: 'https://learn.microsoft.com/graph/api/security-auditlogquery-get',
    note: 'status: notStarted, running, succeeded, failed, cancelled, unknownFutureValue (resource page). The published example wraps the object in "value"; credwatch reads either shape.',
  },
  {
    name: 'auditLogQueries.records',
    method: 'GET',
    ...AUDIT_LOG_QUERY,
    path: '/security/auditLog/queries/{auditLogQueryId}/records',
    pattern: /^\/security\/auditLog\/queries\/[^/]+\/records$/,
    reference: 'https://learn.microsoft.com/graph/api/security-auditlogquery-list-records',
    note: 'Pages follow @odata.nextLink; no page size or query option is named, so none is sent. Each auditLogRecord carries the workload-specific auditData object (for Exchange mailbox records: MailboxOwnerUPN, ClientIPAddress, OperationProperties, Folders …).',
  },
  {
    name: 'batch',
    method: 'POST',
    version: 'v1.0',
    path: '/$batch',
    pattern: /^\/\$batch$/,
    permissions: [],
    queryOptions: [],
    throttle: 'batch',
    reference: 'https://learn.microsoft.com/graph/json-batching',
    note: 'Up to 20 requests per batch, each with relative url; each inner request is checked against this table and counts against its own throttle bucket.',
  },
];
