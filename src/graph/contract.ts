/**
 * Checks a request credwatch is about to send against the endpoint contract (endpoints.ts). A
 * refusal is a programming error (`GRAPH_CALL_UNDOCUMENTED`), raised before anything leaves the
 * process, so a test of the code path catches it instead of a real tenant.
 */
import { CredwatchError } from '../errors.js';
import { GRAPH_ENDPOINTS, type FilterRule, type GraphEndpoint, type QueryOption } from './endpoints.js';

/** The endpoint a method and versioned path belong to, or undefined. */
export function findEndpoint(method: string, version: string, path: string): GraphEndpoint | undefined {
  return GRAPH_ENDPOINTS.find((e) => e.method === method && e.version === version && e.pattern.test(path));
}

/** Splits `/v1.0/servicePrincipals` into version and path; undefined for anything else. */
export function splitVersion(pathname: string): { version: string; path: string } | undefined {
  const match = /^\/(v1\.0|beta)(\/.*)$/.exec(pathname);
  return match ? { version: match[1] ?? '', path: decodeURIComponent(match[2] ?? '') } : undefined;
}

function refuse(message: string, details: Record<string, unknown>): never {
  throw new CredwatchError('GRAPH_CALL_UNDOCUMENTED', message, { details, retryable: false });
}

/**
 * Throws unless `url` (absolute, or relative to the Graph origin as in a `$batch` body) is a call the
 * contract documents, with only documented query options, filter clauses and page size.
 */
export function checkGraphRequest(method: 'GET' | 'POST', url: string): GraphEndpoint {
  const parsed = new URL(url, 'https://graph.invalid');
  const split = splitVersion(parsed.pathname);
  if (!split) refuse(`${method} ${parsed.pathname} has no Graph version segment.`, { path: parsed.pathname });
  const endpoint = findEndpoint(method, split.version, split.path);
  if (!endpoint) refuse(`${method} /${split.version}${split.path} is not a call in credwatch's Graph contract (src/graph/endpoints.ts).`, { path: split.path });
  for (const [name, value] of parsed.searchParams) checkOption(endpoint, name, value);
  return endpoint;
}

function checkOption(endpoint: GraphEndpoint, name: string, value: string): void {
  const details = { endpoint: endpoint.name, option: name };
  if (!endpoint.queryOptions.includes(name as QueryOption)) {
    refuse(`${endpoint.name} does not document the query option ${name} (${endpoint.reference}).`, details);
  }
  if (name === '$top') {
    const top = Number(value);
    if (!Number.isInteger(top) || top < 1 || (endpoint.maxPageSize !== undefined && top > endpoint.maxPageSize)) {
      refuse(`${endpoint.name} pages at most ${endpoint.maxPageSize ?? '?'} items; $top=${value} is not allowed.`, details);
    }
  }
  if (name === '$filter') for (const clause of filterClauses(value)) checkClause(endpoint, clause);
}

interface Clause {
  property: string;
  operator: string;
}

/** The `property operator` pairs of a conjunction; `or`/`not` are outside what credwatch sends. */
export function filterClauses(filter: string): Clause[] {
  if (/\s(or|not)\s/i.test(` ${filter} `)) return [{ property: filter, operator: 'or/not' }];
  return filter.split(/\s+and\s+/i).map((raw) => {
    const clause = stripOuterParens(raw.trim());
    const lambda = /^([A-Za-z]\w*)\/any\(/.exec(clause);
    if (lambda) return { property: lambda[1] ?? '', operator: 'any' };
    const fn = /^(startswith)\(\s*([A-Za-z]\w*)\s*,/i.exec(clause);
    if (fn) return { property: fn[2] ?? '', operator: (fn[1] ?? '').toLowerCase() };
    const cmp = /^([A-Za-z][\w/]*)\s+(eq|ne|ge|gt|le|lt)\s+/.exec(clause);
    if (cmp) return { property: cmp[1] ?? '', operator: cmp[2] ?? '' };
    return { property: clause, operator: 'unparsed' };
  });
}

function stripOuterParens(text: string): string {
  let t = text;
  while (t.startsWith('(') && t.endsWith(')') && balanced(t.slice(1, -1))) t = t.slice(1, -1).trim();
  return t;
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    depth += ch === '(' ? 1 : ch === ')' ? -1 : 0;
    if (depth < 0) return false;
  }
  return depth === 0;
}

function checkClause(endpoint: GraphEndpoint, clause: Clause): void {
  const rule: FilterRule | undefined = endpoint.filters?.find((f) => f.property === clause.property);
  if (!rule || !(rule.operators as readonly string[]).includes(clause.operator)) {
    refuse(`${endpoint.name} does not document $filter on ${clause.property} with ${clause.operator} (${endpoint.reference}).`, {
      endpoint: endpoint.name,
      property: clause.property,
      operator: clause.operator,
    });
  }
}

/** Whether a request draws on the 150-per-minute keyCredentials budget. */
export function selectsKeyCredentials(endpoint: GraphEndpoint, url: string): boolean {
  if (!endpoint.keyCredentialsBudget) return false;
  const select = new URL(url, 'https://graph.invalid').searchParams.get('$select') ?? '';
  return select.split(',').some((s) => s.trim().toLowerCase() === 'keycredentials');
}
