/**
 * The documented query rules of the activity reports (sign-ins, directory audits): the reporting
 * service's own OData validator refuses anything its pages do not list. Part of the simulator's
 * reading in graph/documented.ts.
 */
import type { DocumentedEndpoint, FilterOperator } from './documented.js';

const LEARN = 'https://learn.microsoft.com/graph/api';

/** resources/signin?view=graph-rest-beta, each property's "Supports `$filter`" note. */
const SIGN_IN_FILTERS: Readonly<Record<string, readonly FilterOperator[]>> = {
  appDisplayName: ['eq', 'startswith'],
  appId: ['eq'],
  authenticationRequirement: ['eq', 'startswith'],
  clientAppUsed: ['eq'],
  conditionalAccessAudiences: ['eq'],
  conditionalAccessStatus: ['eq'],
  correlationId: ['eq'],
  // eq, le and ge only: gt and lt are refused.
  createdDateTime: ['eq', 'le', 'ge'],
  'deviceDetail/browser': ['eq', 'startswith'],
  'deviceDetail/operatingSystem': ['eq', 'startswith'],
  id: ['eq'],
  ipAddress: ['eq', 'startswith'],
  'location/city': ['eq', 'startswith'],
  'location/state': ['eq', 'startswith'],
  'location/countryOrRegion': ['eq', 'startswith'],
  originalRequestId: ['eq'],
  resourceDisplayName: ['eq'],
  resourceId: ['eq'],
  riskDetail: ['eq'],
  riskEventTypes_v2: ['eq', 'startswith'],
  riskLevelAggregated: ['eq'],
  riskLevelDuringSignIn: ['eq'],
  riskState: ['eq'],
  servicePrincipalId: ['eq', 'startswith'],
  servicePrincipalName: ['eq', 'startswith'],
  // "Supports $filter (eq, ne)" on a collection: written as signInEventTypes/any(t: t eq '…').
  signInEventTypes: ['any'],
  'status/errorCode': ['eq'],
  tokenIssuerName: ['eq'],
  userAgent: ['eq', 'startswith'],
  userDisplayName: ['eq', 'startswith'],
  userId: ['eq'],
  userPrincipalName: ['eq', 'startswith'],
};

/**
 * `GET /beta/auditLogs/signIns`. The List page documents `$top`, `$skiptoken` and `$filter` only;
 * `$select` is answered with the OData validator's 400 (microsoftgraph/microsoft-graph-devx-api#1250,
 * msgraph-sdk-powershell#1251). The resource page adds "Supports `$orderby`" on createdDateTime, so
 * `$orderby=createdDateTime` is allowed: the two pages disagree and the narrower note wins.
 */
export const SIGN_INS_BETA: DocumentedEndpoint = {
  title: 'List signIns (beta)',
  reference: `${LEARN}/signin-list?view=graph-rest-beta`,
  resource: 'microsoft.graph.signIn',
  family: 'reports',
  options: ['top', 'skiptoken', 'filter', 'orderby'],
  filters: SIGN_IN_FILTERS,
  orderBy: ['createdDateTime'],
  // "The maximum and default page size is 1,000 objects."
  page: { defaultTop: 1000, maxTop: 1000 },
};

/** Properties v1.0's signIn does not have (as the simulator served them before issue 10). */
export const SIGN_IN_BETA_ONLY: readonly string[] = [
  'clientCredentialType',
  'servicePrincipalCredentialKeyId',
  'servicePrincipalCredentialThumbprint',
  'federatedCredentialId',
  'autonomousSystemNumber',
  'uniqueTokenIdentifier',
  'signInEventTypes',
  'servicePrincipalName',
  'resourceTenantId',
  'homeTenantId',
];

/** `GET /v1.0/auditLogs/signIns`: the same options; no beta-only property can be filtered. */
export const SIGN_INS_V1: DocumentedEndpoint = {
  ...SIGN_INS_BETA,
  title: 'List signIns (v1.0)',
  reference: `${LEARN}/signin-list?view=graph-rest-1.0`,
  filters: Object.fromEntries(Object.entries(SIGN_IN_FILTERS).filter(([p]) => !SIGN_IN_BETA_ONLY.includes(p))),
};

/**
 * `GET /auditLogs/directoryAudits`: `$filter` (eq, ge, le, startswith), `$top`, `$orderby` and
 * skiptoken; no `$select` (also reported refused in microsoft-graph-docs#3612). Filters from
 * resources/directoryaudit; `category` and `result` have no filter note, so they are refused.
 */
export const DIRECTORY_AUDITS: DocumentedEndpoint = {
  title: 'List directoryAudits',
  reference: `${LEARN}/directoryaudit-list`,
  resource: 'microsoft.graph.directoryAudit',
  family: 'reports',
  options: ['filter', 'top', 'orderby', 'skiptoken'],
  filters: {
    activityDateTime: ['eq', 'ge', 'le'],
    activityDisplayName: ['eq', 'startswith'],
    correlationId: ['eq'],
    id: ['eq'],
    'initiatedBy/user/id': ['eq'],
    'initiatedBy/user/displayName': ['eq'],
    'initiatedBy/user/userPrincipalName': ['eq', 'startswith'],
    'initiatedBy/app/appId': ['eq'],
    'initiatedBy/app/displayName': ['eq'],
    loggedByService: ['eq'],
  },
  orderBy: ['activityDateTime'],
  // silent: no page size on the page; 1,000 like sign-ins, the same reporting service.
  page: { defaultTop: 1000, maxTop: 1000 },
};
