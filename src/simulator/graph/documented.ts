/**
 * The simulator's own reading of Microsoft's reference pages: per endpoint, the OData query options
 * the API page documents, the `$filter` properties and operators from the resource page's
 * "Supports `$filter` (eq, …)" notes, the `$orderby` properties and the page sizes. The simulator
 * refuses everything else the way Graph does (graph/conformance.ts). This reading is deliberately
 * independent of credwatch's own table in src/graph: two readings that disagree are a finding.
 *
 * Where a page is silent, the choice is written next to the value as "silent:".
 */

/** A system query option, lowercase without `$`. */
export type QueryOption = 'select' | 'filter' | 'top' | 'skip' | 'skiptoken' | 'orderby' | 'count' | 'search' | 'expand';
/** A `$filter` operator as the resource pages name them (`any` is a lambda over a collection). */
export type FilterOperator = 'eq' | 'ne' | 'not' | 'in' | 'ge' | 'le' | 'gt' | 'lt' | 'startswith' | 'any' | 'isof';
/** Which service answers, and so which error shapes it uses (graph/conformance.ts). */
export type ServiceFamily = 'reports' | 'directory' | 'conditionalAccess';

/** One endpoint's documented query rules. */
export interface DocumentedEndpoint {
  /** The API page's title. */
  title: string;
  /** The API page the options come from. */
  reference: string;
  /** The resource type, as Graph names it in errors. */
  resource: string;
  family: ServiceFamily;
  options: readonly QueryOption[];
  filters: Readonly<Record<string, readonly FilterOperator[]>>;
  orderBy: readonly string[];
  /** Default and maximum `$top`; undefined for single-object reads. */
  page?: { readonly defaultTop: number; readonly maxTop: number };
}

const LEARN = 'https://learn.microsoft.com/graph/api';

// Every collection pages with server-made `$skiptoken`s (https://learn.microsoft.com/graph/paging),
// so following a nextLink is always allowed even where the page does not list `$skiptoken`.
const DIRECTORY_LIST: readonly QueryOption[] = ['count', 'expand', 'filter', 'orderby', 'search', 'select', 'top', 'skiptoken'];
const DIRECTORY_PAGE = { defaultTop: 100, maxTop: 999 };

/** `GET /applications`: default 100, maximum 999; `key` only when keyCredentials is `$select`ed. */
export const APPLICATIONS: DocumentedEndpoint = {
  title: 'List applications',
  reference: `${LEARN}/application-list`,
  resource: 'application',
  family: 'directory',
  options: DIRECTORY_LIST,
  filters: {
    appId: ['eq', 'ne', 'not', 'in', 'startswith'],
    createdDateTime: ['eq', 'ne', 'not', 'ge', 'le', 'in'],
    displayName: ['eq', 'ne', 'not', 'ge', 'le', 'in', 'startswith'],
    id: ['eq', 'ne', 'not', 'in'],
    publisherDomain: ['eq', 'ne', 'ge', 'le', 'in', 'startswith'],
    signInAudience: ['eq', 'ne', 'not'],
  },
  // silent on which properties sort; displayName is the one the examples use.
  orderBy: ['displayName'],
  page: DIRECTORY_PAGE,
};

/** `GET /applications/{id}` and `(appId='…')`: `$select` only. */
export const APPLICATION: DocumentedEndpoint = {
  title: 'Get application',
  reference: `${LEARN}/application-get`,
  resource: 'application',
  family: 'directory',
  options: ['select'],
  filters: {},
  orderBy: [],
};

/** `GET /servicePrincipals`: like applications (serviceprincipal-list). */
export const SERVICE_PRINCIPALS: DocumentedEndpoint = {
  title: 'List servicePrincipals',
  reference: `${LEARN}/serviceprincipal-list`,
  resource: 'servicePrincipal',
  family: 'directory',
  options: DIRECTORY_LIST,
  filters: {
    accountEnabled: ['eq', 'ne', 'not', 'in'],
    appDisplayName: ['eq', 'ne', 'not', 'ge', 'le', 'in', 'startswith'],
    appId: ['eq', 'ne', 'not', 'in', 'startswith'],
    appOwnerOrganizationId: ['eq', 'ne', 'not', 'ge', 'le'],
    displayName: ['eq', 'ne', 'not', 'ge', 'le', 'in', 'startswith'],
    id: ['eq', 'ne', 'not', 'in'],
    publisherName: ['eq', 'ne', 'not', 'ge', 'le', 'startswith'],
    servicePrincipalNames: ['any'],
    servicePrincipalType: ['eq', 'ne', 'not', 'in'],
    tags: ['any'],
  },
  orderBy: ['displayName'],
  page: DIRECTORY_PAGE,
};

/** `GET /servicePrincipals/{id}` and `(appId='…')`: `$select` and `$expand`. */
export const SERVICE_PRINCIPAL: DocumentedEndpoint = {
  ...APPLICATION,
  title: 'Get servicePrincipal',
  reference: `${LEARN}/serviceprincipal-get`,
  resource: 'servicePrincipal',
  options: ['select', 'expand'],
};

// silent: the next three pages say "supports the OData query parameters" without naming them or a
// page size; the directory's usual set and 100/999 are assumed. Filters from the resource pages.
const ASSIGNMENT_FILTERS: Readonly<Record<string, readonly FilterOperator[]>> = {
  principalId: ['eq', 'ne', 'not', 'in'],
  principalDisplayName: ['eq', 'ne', 'not', 'ge', 'le', 'startswith'],
  resourceId: ['eq'],
  resourceDisplayName: ['eq', 'ne', 'not', 'ge', 'le', 'startswith'],
};

/** `GET /servicePrincipals/{id}/appRoleAssignedTo` (assignments granted for a resource). */
export const APP_ROLE_ASSIGNED_TO: DocumentedEndpoint = {
  title: 'List appRoleAssignments granted for a service principal',
  reference: `${LEARN}/serviceprincipal-list-approleassignedto`,
  resource: 'appRoleAssignment',
  family: 'directory',
  options: ['count', 'expand', 'filter', 'orderby', 'select', 'top', 'skiptoken'],
  filters: ASSIGNMENT_FILTERS,
  orderBy: [],
  page: DIRECTORY_PAGE,
};

/** `GET /servicePrincipals/{id}/appRoleAssignments` (assignments a principal holds). */
export const APP_ROLE_ASSIGNMENTS: DocumentedEndpoint = {
  ...APP_ROLE_ASSIGNED_TO,
  title: 'List appRoleAssignments granted to a service principal',
  reference: `${LEARN}/serviceprincipal-list-approleassignments`,
};

/** `GET /oauth2PermissionGrants`: every filterable property is "eq only". */
export const OAUTH2_PERMISSION_GRANTS: DocumentedEndpoint = {
  title: 'List oauth2PermissionGrants',
  reference: `${LEARN}/oauth2permissiongrant-list`,
  resource: 'oAuth2PermissionGrant',
  family: 'directory',
  options: ['filter', 'select', 'top', 'skiptoken'],
  filters: { clientId: ['eq'], consentType: ['eq'], principalId: ['eq'], resourceId: ['eq'] },
  orderBy: [],
  page: DIRECTORY_PAGE,
};

/**
 * `GET /applications/{id}/federatedIdentityCredentials`: `$filter` (eq) and `$select`; only name
 * and subject carry "Supports `$filter` (eq)" on resources/federatedidentitycredential.
 */
export const FEDERATED_IDENTITY_CREDENTIALS: DocumentedEndpoint = {
  title: 'List federatedIdentityCredentials',
  reference: `${LEARN}/application-list-federatedidentitycredentials`,
  resource: 'federatedIdentityCredential',
  family: 'directory',
  options: ['filter', 'select', 'skiptoken'],
  filters: { name: ['eq'], subject: ['eq'] },
  orderBy: [],
  // silent: no page size; the directory default.
  page: DIRECTORY_PAGE,
};

/**
 * `GET /identity/conditionalAccess/namedLocations`: `$count`, `$filter`, `$orderby`, `$select`,
 * `$skip`, `$top`. silent: which properties filter — the page's examples use `isof(…)`,
 * createdDateTime ranges and the countryNamedLocation lambda, which are what is accepted here; no
 * page size is documented, the directory's 100/999 is assumed.
 */
export const NAMED_LOCATIONS: DocumentedEndpoint = {
  title: 'List namedLocations',
  reference: `${LEARN}/conditionalaccessroot-list-namedlocations`,
  resource: 'microsoft.graph.namedLocation',
  family: 'conditionalAccess',
  options: ['count', 'filter', 'orderby', 'select', 'skip', 'top', 'skiptoken'],
  filters: {
    '@odata.type': ['isof'],
    createdDateTime: ['eq', 'ge', 'le', 'gt', 'lt'],
    modifiedDateTime: ['eq', 'ge', 'le', 'gt', 'lt'],
    displayName: ['eq', 'startswith'],
    'microsoft.graph.countryNamedLocation/countriesAndRegions': ['any'],
  },
  orderBy: ['displayName', 'createdDateTime', 'modifiedDateTime'],
  page: DIRECTORY_PAGE,
};

/**
 * `POST /users/{id}/sendMail`: the page documents no query parameters. silent: what Exchange does
 * with one; the simulator does not check them (credwatch sends none).
 */
export const SEND_MAIL = {
  title: 'user: sendMail',
  reference: `${LEARN}/user-sendmail`,
} as const;
