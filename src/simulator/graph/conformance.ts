/**
 * Holds a request to an endpoint's documented rules (graph/documented.ts) and refuses the rest with
 * the error the answering service gives. Graph is not one server: the activity reports and
 * Conditional Access run ASP.NET OData validators, the directory is its own service, and each
 * words its refusals differently.
 */
import { ODataError, parseFilter, type Comparison, type ODataQuery } from '../odata.js';
import type { DocumentedEndpoint } from './documented.js';

/** The names ASP.NET OData's AllowedQueryOptions gives the options in its message. */
const VALIDATOR_NAMES: Readonly<Record<string, string>> = {
  select: 'Select',
  filter: 'Filter',
  top: 'Top',
  skip: 'Skip',
  skiptoken: 'SkipToken',
  orderby: 'OrderBy',
  count: 'Count',
  search: 'Search',
  expand: 'Expand',
  format: 'Format',
  deltatoken: 'DeltaToken',
  apply: 'Apply',
  compute: 'Compute',
};

/** A request reduced to what the documented rules allow. */
export interface Conformed {
  comparisons: Comparison[];
  top: number;
  orderBy: { field: string; descending: boolean } | undefined;
}

/**
 * An option the endpoint does not document. The reporting and Conditional Access services answer
 * with the OData validator's 400: empty code, the message prefixed "The query specified in the URI
 * is not valid.", and the bare message again in innerError (the JSON in
 * microsoft-graph-docs-contrib#1859 and #1749; for sign-ins microsoft-graph-devx-api#1250 and
 * msgraph-sdk-powershell#1251 quote the bare message). The directory's wording is not in the
 * docs: `Request_BadRequest` "'$skip' is not supported by the service." is its usual answer.
 */
export function optionNotAllowed(endpoint: DocumentedEndpoint, option: string): ODataError {
  if (endpoint.family === 'directory') return new ODataError('Request_BadRequest', `'$${option}' is not supported by the service.`);
  const bare = `Query option '${VALIDATOR_NAMES[option] ?? option}' is not allowed. To allow it, set the 'AllowedQueryOptions' property on EnableQueryAttribute or QueryValidationSettings.`;
  return new ODataError('', `The query specified in the URI is not valid. ${bare}`, { message: bare });
}

/** The directory's names for the operators, as its errors spell them ("NotEqualsMatch"). */
const DIRECTORY_OPERATORS: Readonly<Record<string, string>> = {
  eq: 'EqualsMatch',
  ne: 'NotEqualsMatch',
  ge: 'GreaterThanOrEqualsMatch',
  gt: 'GreaterThanMatch',
  le: 'LessThanOrEqualsMatch',
  lt: 'LessThanMatch',
  startswith: 'StartsWithMatch',
  any: 'AnyMatch',
  isof: 'IsOfMatch',
};

/**
 * A `$filter` clause on a property or with an operator the resource page does not list. Sign-ins
 * answer `BadRequest` "Invalid filter clause" (microsoft-graph-docs#5676, #14173); directory audits
 * and named locations are assumed to answer the same (silent). The directory answers
 * `Request_UnsupportedQuery`: for a property, "Unsupported or invalid query filter clause
 * specified for property 'appRoleAssignmentRequired' of resource 'ServicePrincipal'."; for an
 * operator on a filterable property, "Unsupported property filter clause operator
 * 'NotEqualsMatch'." (both verbatim in microsoft-graph-docs-contrib#1726; the other operator
 * names follow the same pattern and are assumed).
 */
export function invalidFilter(endpoint: DocumentedEndpoint, field: string, op?: string): ODataError {
  if (endpoint.family !== 'directory') return new ODataError('BadRequest', 'Invalid filter clause');
  if (op !== undefined && endpoint.filters[field] !== undefined) {
    return new ODataError('Request_UnsupportedQuery', `Unsupported property filter clause operator '${DIRECTORY_OPERATORS[op] ?? op}'.`);
  }
  const resource = endpoint.resource.charAt(0).toUpperCase() + endpoint.resource.slice(1);
  return new ODataError('Request_UnsupportedQuery', `Unsupported or invalid query filter clause specified for property '${field}' of resource '${resource}'.`);
}

/**
 * `$top` above the documented maximum. silent: no page gives the error; the directory's
 * "Invalid page size specified: 'N'. Must be between 1 and 999 inclusive." is used for all.
 */
export function pageSizeTooLarge(endpoint: DocumentedEndpoint, top: number, maxTop: number): ODataError {
  const code = endpoint.family === 'directory' ? 'Request_BadRequest' : 'BadRequest';
  return new ODataError(code, `Invalid page size specified: '${top}'. Must be between 1 and ${maxTop} inclusive.`);
}

/** `$orderby` on a property the pages do not say sorts. silent: the wording is assumed. */
export function orderByNotSupported(endpoint: DocumentedEndpoint, orderBy: string): ODataError {
  const code = endpoint.family === 'directory' ? 'Request_UnsupportedQuery' : 'BadRequest';
  return new ODataError(code, `Order by is not supported on '${orderBy}'.`);
}

function conformFilter(endpoint: DocumentedEndpoint, filter: string | undefined): Comparison[] {
  if (filter === undefined) return [];
  let comparisons: Comparison[];
  try {
    comparisons = parseFilter(filter);
  } catch {
    throw invalidFilter(endpoint, filter);
  }
  for (const c of comparisons) {
    const allowed = endpoint.filters[c.field];
    if (!allowed?.includes(c.op)) throw invalidFilter(endpoint, c.field, c.op);
  }
  return comparisons;
}

function conformOrderBy(endpoint: DocumentedEndpoint, orderBy: string | undefined): Conformed['orderBy'] {
  if (orderBy === undefined) return undefined;
  const match = /^\s*([\w/]+)(?:\s+(asc|desc))?\s*$/i.exec(orderBy);
  const field = endpoint.orderBy.find((p) => p.toLowerCase() === match?.[1]?.toLowerCase());
  if (!match || !field) throw orderByNotSupported(endpoint, orderBy);
  return { field, descending: match[2]?.toLowerCase() === 'desc' };
}

/** Checks `query` against `endpoint`'s documented rules; throws the service's error on the first breach. */
export function conform(endpoint: DocumentedEndpoint, query: ODataQuery): Conformed {
  for (const option of query.present) {
    if (!(endpoint.options as readonly string[]).includes(option)) throw optionNotAllowed(endpoint, option);
  }
  const page = endpoint.page ?? { defaultTop: 1, maxTop: 1 };
  if (query.top !== undefined && query.top > page.maxTop) throw pageSizeTooLarge(endpoint, query.top, page.maxTop);
  return {
    comparisons: conformFilter(endpoint, query.filter),
    top: query.top ?? page.defaultTop,
    orderBy: conformOrderBy(endpoint, query.orderBy),
  };
}
