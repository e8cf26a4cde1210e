/**
 * The Purview audit log query calls (Graph v1.0, `security/auditLog/queries`), as documented on
 * https://learn.microsoft.com/graph/api/security-auditcoreroot-post-auditlogqueries,
 * https://learn.microsoft.com/graph/api/security-auditlogquery-get and
 * https://learn.microsoft.com/graph/api/security-auditlogquery-list-records. Only this file and
 * audit-records.ts know their JSON; src/graph/endpoints.ts holds their contract.
 */
import { CredwatchError } from '../errors.js';
import type { MailAccessRecord } from '../events.js';
import type { GraphApi } from '../graph/client.js';
import { normalizeAuditRecord } from './audit-records.js';
import { bool, isObject, str, type Json } from './values.js';

const QUERIES = '/security/auditLog/queries';

/**
 * The mail operations an app's own access produces. MailItemsAccessed "covers all mail protocols:
 * POP, IMAP, MAPI, EWS, Exchange ActiveSync, and REST" (https://learn.microsoft.com/purview/audit-log-investigate-accounts),
 * Graph's REST included. Send, SendAs, HardDelete and the other mailbox actions are audited too, but
 * credwatch found no Microsoft page saying they are logged for application-only access: they are
 * left out until one does (docs/blast-radius.md).
 */
export const MAIL_ACCESS_OPERATIONS: readonly string[] = ['MailItemsAccessed'];

/** `auditLogQueryStatus` (https://learn.microsoft.com/graph/api/resources/security-auditlogquery). */
export type AuditQueryStatus = 'notStarted' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'unknownFutureValue';
const STATUSES: ReadonlySet<string> = new Set<AuditQueryStatus>(['notStarted', 'running', 'succeeded', 'failed', 'cancelled', 'unknownFutureValue']);

/** What credwatch asks for: one app's mail access from some addresses in a time window. */
export interface MailAccessQuerySpec {
  displayName: string;
  ips: readonly string[];
  from: Date;
  to: Date;
}

/** The request body of Create auditLogQuery, with only documented properties. */
export function mailAccessQueryBody(spec: MailAccessQuerySpec): Json {
  return {
    '@odata.type': '#microsoft.graph.security.auditLogQuery',
    displayName: spec.displayName,
    filterStartDateTime: spec.from.toISOString(),
    filterEndDateTime: spec.to.toISOString(),
    operationFilters: [...MAIL_ACCESS_OPERATIONS],
    ipAddressFilters: [...spec.ips],
  };
}

/** A query as Graph reports it; an undocumented status reads as `unknownFutureValue`. */
export interface AuditQueryState {
  id: string;
  displayName: string | undefined;
  status: AuditQueryStatus;
  /** `isRecordCountLimitExceeded`: the records are known to be incomplete. */
  recordLimitExceeded: boolean;
}

/** The published Get example wraps the object in `value`; the resource page does not. Either is read. */
export function auditQueryStateOf(body: unknown): AuditQueryState {
  const object: unknown = isObject(body) && isObject(body['value']) ? body['value'] : body;
  const id = isObject(object) ? str(object['id']) : undefined;
  if (!isObject(object) || !id) throw new CredwatchError('GRAPH_BAD_RESPONSE', 'Graph answered an audit log query request without a query id.');
  const status = str(object['status']);
  return {
    id,
    displayName: str(object['displayName']),
    status: status !== undefined && STATUSES.has(status) ? (status as AuditQueryStatus) : 'unknownFutureValue',
    recordLimitExceeded: bool(object['isRecordCountLimitExceeded']) === true,
  };
}

/** Creates the query. Sent once (endpoints.ts: not resendable): an unclear answer is resolved by {@link findQueryByDisplayName}. */
export async function createAuditQuery(graph: GraphApi, spec: MailAccessQuerySpec): Promise<AuditQueryState> {
  return auditQueryStateOf(await graph.postJson<unknown>(QUERIES, mailAccessQueryBody(spec)));
}

/** The query's current state. */
export async function getAuditQuery(graph: GraphApi, id: string): Promise<AuditQueryState> {
  return auditQueryStateOf(await graph.get<unknown>(`${QUERIES}/${encodeURIComponent(id)}`));
}

/** Queries listed before credwatch gives up looking for one by name. */
const FIND_LIMIT = 5_000;

/**
 * The query named `displayName`, if the tenant has one. The list page documents no `$filter`, so
 * the list is read (bounded) and matched here.
 */
export async function findQueryByDisplayName(graph: GraphApi, displayName: string): Promise<AuditQueryState | undefined> {
  let seen = 0;
  for await (const page of graph.listPages<unknown>(QUERIES)) {
    for (const item of page) {
      if (isObject(item) && str(item['displayName']) === displayName) return auditQueryStateOf(item);
    }
    seen += page.length;
    if (seen >= FIND_LIMIT) break;
  }
  return undefined;
}

/** Options of {@link readQueryRecords}. */
export interface ReadRecordsOptions {
  /** Stop after this many records (the result says so). */
  maxRecords: number;
}

export interface QueryRecords {
  records: MailAccessRecord[];
  /** Records that had no id or were not objects. */
  unreadable: number;
  /** True when reading stopped at `maxRecords` with more pages left. */
  capped: boolean;
}

/** The query's records, page by page along `@odata.nextLink`, normalized and bounded. */
export async function readQueryRecords(graph: GraphApi, id: string, options: ReadRecordsOptions): Promise<QueryRecords> {
  const records: MailAccessRecord[] = [];
  let unreadable = 0;
  let capped = false;
  for await (const page of graph.listPages<unknown, ReturnType<typeof normalizeAuditRecord>>(
    `${QUERIES}/${encodeURIComponent(id)}/records`,
    {},
    normalizeAuditRecord,
  )) {
    for (const r of page) {
      if ('unreadable' in r) unreadable += 1;
      else if (records.length < options.maxRecords) records.push(r);
      else capped = true;
    }
    if (records.length >= options.maxRecords) {
      // Stopping here leaves later pages unread: the list is incomplete whether or not this page
      // happened to end exactly at the cap.
      capped = true;
      break;
    }
  }
  return { records, unreadable, capped };
}
