/**
 * The audit log query API (Microsoft Purview audit search through Graph v1.0), the simulator's own
 * reading of its pages:
 * - Create: https://learn.microsoft.com/graph/api/security-auditcoreroot-post-auditlogqueries —
 *   201 with the auditLogQuery; the body properties the page lists, all optional;
 * - List: https://learn.microsoft.com/graph/api/security-auditcoreroot-list-auditlogqueries;
 * - Get: https://learn.microsoft.com/graph/api/security-auditlogquery-get — status is one of
 *   notStarted, running, succeeded, failed, cancelled, unknownFutureValue
 *   (https://learn.microsoft.com/graph/api/resources/security-auditlogquery);
 * - List records: https://learn.microsoft.com/graph/api/security-auditlogquery-list-records —
 *   auditLogRecord pages with @odata.nextLink.
 * A query moves notStarted → running → its outcome on the simulator's clock. Bodies Graph would not
 * bind (not JSON, a property auditLogQuery does not have, a value of the wrong type) are refused
 * with 400 as Graph's OData layer refuses them. The page size of records is not published; the
 * simulator pages by 100 so paging is exercised.
 */
import { randomUUID } from 'node:crypto';
import { graphError, jsonResponse, type SimResponse } from '../http.js';
import { nextLink } from '../odata.js';
import type { AuditLogRecord } from '../scenario.js';
import type { SimAuditQuery } from '../state.js';
import type { GraphCall, GraphContext } from './context.js';
import { notFound, odataContext } from './context.js';

const RECORDS_PAGE_SIZE = 100;
const STRING_PROPERTIES = ['displayName', 'keywordFilter', 'serviceFilter', 'status'] as const;
const DATE_PROPERTIES = ['filterStartDateTime', 'filterEndDateTime'] as const;
const LIST_PROPERTIES = [
  'recordTypeFilters',
  'operationFilters',
  'userPrincipalNameFilters',
  'ipAddressFilters',
  'objectIdFilters',
  'administrativeUnitIdFilters',
  'serviceFilters',
] as const;
const KNOWN: ReadonlySet<string> = new Set(['@odata.type', ...STRING_PROPERTIES, ...DATE_PROPERTIES, ...LIST_PROPERTIES]);
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)?$/;

type Body = Record<string, unknown>;

function badRequest(context: GraphContext, call: GraphCall, message: string): SimResponse {
  return graphError(call.request, 400, 'BadRequest', message, context.now());
}

/** Why the body cannot be an auditLogQuery, or undefined. */
function invalidBody(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'The request body must be an auditLogQuery object.';
  for (const [name, value] of Object.entries(body as Body)) {
    if (!KNOWN.has(name)) return `The property '${name}' does not exist on type 'microsoft.graph.security.auditLogQuery'.`;
    if ((STRING_PROPERTIES as readonly string[]).includes(name) && value !== null && typeof value !== 'string')
      return `Cannot convert the literal to '${name}'.`;
    if (
      (DATE_PROPERTIES as readonly string[]).includes(name) &&
      value !== null &&
      (typeof value !== 'string' || !ISO.test(value) || Number.isNaN(Date.parse(value)))
    ) {
      return `Cannot convert the literal '${String(value)}' to the expected type 'Edm.DateTimeOffset'.`;
    }
    if ((LIST_PROPERTIES as readonly string[]).includes(name) && (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))) {
      return `The property '${name}' must be a collection of strings.`;
    }
  }
  return undefined;
}

const list = (body: Body, name: string): string[] => (Array.isArray(body[name]) ? (body[name] as string[]) : []);
const text = (body: Body, name: string): string | null => (typeof body[name] === 'string' ? (body[name] as string) : null);

/** The status of `q` at `now`. */
function statusOf(q: SimAuditQuery, now: Date): string {
  const age = now.getTime() - q.createdAt.getTime();
  if (age < q.behaviour.notStartedForMs) return 'notStarted';
  if (q.behaviour.outcome === 'neverFinishes' || age < q.behaviour.notStartedForMs + q.behaviour.runningForMs) return 'running';
  return q.behaviour.outcome;
}

function representation(q: SimAuditQuery, now: Date): Body {
  return {
    '@odata.type': '#microsoft.graph.security.auditLogQuery',
    id: q.id,
    displayName: q.displayName,
    filterStartDateTime: q.filterStartDateTime,
    filterEndDateTime: q.filterEndDateTime,
    recordTypeFilters: q.recordTypeFilters,
    keywordFilter: q.keywordFilter,
    serviceFilters: [],
    operationFilters: q.operationFilters,
    userPrincipalNameFilters: q.userPrincipalNameFilters,
    ipAddressFilters: q.ipAddressFilters,
    objectIdFilters: [],
    administrativeUnitIdFilters: [],
    status: statusOf(q, now),
  };
}

/** `POST /security/auditLog/queries` */
export function createAuditLogQuery(context: GraphContext, call: GraphCall): SimResponse {
  let body: unknown;
  try {
    body = JSON.parse(call.request.body);
  } catch {
    return badRequest(context, call, 'Invalid JSON in the request body.');
  }
  const problem = invalidBody(body);
  if (problem) return badRequest(context, call, problem);
  const b = body as Body;
  const scenario = context.state.scenario.auditLog;
  const query: SimAuditQuery = {
    id: randomUUID(),
    displayName: text(b, 'displayName'),
    filterStartDateTime: text(b, 'filterStartDateTime'),
    filterEndDateTime: text(b, 'filterEndDateTime'),
    operationFilters: list(b, 'operationFilters'),
    ipAddressFilters: list(b, 'ipAddressFilters'),
    recordTypeFilters: list(b, 'recordTypeFilters'),
    userPrincipalNameFilters: list(b, 'userPrincipalNameFilters'),
    keywordFilter: text(b, 'keywordFilter'),
    createdAt: context.now(),
    behaviour: {
      notStartedForMs: scenario?.notStartedForMs ?? 60_000,
      runningForMs: scenario?.runningForMs ?? 240_000,
      outcome: scenario?.outcome ?? 'succeeded',
    },
  };
  context.state.auditQueries.push(query);
  return jsonResponse(201, {
    '@odata.context': `${odataContext(context, call, 'security/auditLog/queries')}/$entity`,
    ...representation(query, context.now()),
  });
}

/** `GET /security/auditLog/queries` */
export function listAuditLogQueries(context: GraphContext, call: GraphCall): SimResponse {
  return jsonResponse(200, {
    '@odata.context': odataContext(context, call, 'security/auditLog/queries'),
    value: context.state.auditQueries.map((q) => representation(q, context.now())),
  });
}

/** `GET /security/auditLog/queries/{id}` */
export function getAuditLogQuery(context: GraphContext, call: GraphCall, id: string): SimResponse {
  const query = context.state.auditQueries.find((q) => q.id === id);
  if (!query) return notFound(context, call, id);
  return jsonResponse(200, {
    '@odata.context': `${odataContext(context, call, 'security/auditLog/queries')}/$entity`,
    ...representation(query, context.now()),
  });
}

/** Whether `record` answers `q`'s filters (operations, addresses, users, time). */
function matches(q: SimAuditQuery, record: AuditLogRecord): boolean {
  const at = Date.parse(record.createdDateTime);
  if (q.filterStartDateTime !== null && at < Date.parse(q.filterStartDateTime)) return false;
  if (q.filterEndDateTime !== null && at > Date.parse(q.filterEndDateTime)) return false;
  if (q.operationFilters.length > 0 && !q.operationFilters.some((o) => o.toLowerCase() === record.operation.toLowerCase())) return false;
  if (q.recordTypeFilters.length > 0 && !q.recordTypeFilters.includes(record.auditLogRecordType)) return false;
  if (q.userPrincipalNameFilters.length > 0 && !q.userPrincipalNameFilters.some((u) => u.toLowerCase() === record.userPrincipalName.toLowerCase()))
    return false;
  if (q.ipAddressFilters.length > 0 && !q.ipAddressFilters.includes(record.clientIp)) return false;
  return true;
}

/** `GET /security/auditLog/queries/{id}/records` */
export function listAuditLogRecords(context: GraphContext, call: GraphCall, id: string): SimResponse {
  const query = context.state.auditQueries.find((q) => q.id === id);
  if (!query) return notFound(context, call, id);
  // A query still running has no records to list yet; the simulator answers with none rather than
  // invent an error the pages do not show.
  const records = statusOf(query, context.now()) === 'succeeded' ? (context.state.scenario.auditLog?.records ?? []).filter((r) => matches(query, r)) : [];
  const offset = call.query.skipToken === undefined ? 0 : context.skipTokens.open(call.query.skipToken);
  const body: Body = { '@odata.context': odataContext(context, call, `security/auditLog/queries('${id}')/records`) };
  if (offset + RECORDS_PAGE_SIZE < records.length) {
    body['@odata.nextLink'] = nextLink(context.baseUrl, call.request.url, context.skipTokens.seal(offset + RECORDS_PAGE_SIZE));
  }
  body.value = records.slice(offset, offset + RECORDS_PAGE_SIZE).map((r) => ({ '@odata.type': '#microsoft.graph.security.auditLogRecord', ...r }));
  return jsonResponse(200, body);
}
