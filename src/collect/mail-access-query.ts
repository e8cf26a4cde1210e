/**
 * Opening and following one blast-radius audit log query with its state kept in the store
 * (docs/blast-radius.md):
 *
 * - one query serves every alert of the same app whose window and addresses it covers;
 * - the intent is stored BEFORE Graph is asked, under a deterministic id that the query's
 *   displayName carries, together with the tenant's daily count (the cap);
 * - create is sent once; if its answer is lost (a crash, a cut connection) the intent stays
 *   `requested` without a query id, and the next call looks the query up by displayName before it
 *   would create one — so a restart never sends a second query for the same intent.
 */
import { createHash } from 'node:crypto';
import { CredwatchError } from '../errors.js';
import type { GraphApi } from '../graph/client.js';
import type { AuditQueryRecord, StateStore } from '../state/types.js';
import { createAuditQuery, findQueryByDisplayName, getAuditQuery, readQueryRecords, type AuditQueryState, type QueryRecords } from './audit-queries.js';
import { normalizeIp } from './signins.js';

/** Defaults: conservative, because the tenant's Purview query allocation is shared and unpublished. */
export const AUDIT_QUERY_DEFAULTS = Object.freeze({
  /** Queries credwatch creates per tenant per UTC day. */
  dailyCap: 10,
  /** How long a query may stay unfinished before it is abandoned. */
  giveUpAfterInMs: 24 * 3_600_000,
  /** Records read from one query. */
  maxRecords: 50_000,
  /** An intent without a query id younger than this may still appear in the list; older, it is created again. */
  lostCreateGraceInMs: 15 * 60_000,
});

export interface MailAccessQueryDeps {
  graph: GraphApi;
  store: StateStore;
  now: () => Date;
}

export interface MailAccessRequest {
  appId: string;
  ips: readonly string[];
  from: Date;
  to: Date;
}

export interface OpenOptions {
  dailyCap?: number;
  lostCreateGraceInMs?: number;
}

const HOUR_IN_MS = 3_600_000;
const DEAD: ReadonlySet<string> = new Set(['failed', 'cancelled', 'unknownFutureValue', 'abandoned']);

/** The request widened to whole hours, addresses normalized and sorted: nearby alerts then share a query. */
export function canonicalRequest(request: MailAccessRequest): MailAccessRequest {
  const ips = [...new Set(request.ips.map((ip) => normalizeIp(ip) ?? ip.trim()).filter((ip) => ip !== ''))].sort();
  if (ips.length === 0) throw new CredwatchError('STATE_INVALID_INPUT', 'A blast-radius query needs at least one address.');
  const from = new Date(Math.floor(request.from.getTime() / HOUR_IN_MS) * HOUR_IN_MS);
  const to = new Date(Math.max(from.getTime() + HOUR_IN_MS, Math.ceil(request.to.getTime() / HOUR_IN_MS) * HOUR_IN_MS));
  return { appId: request.appId.toLowerCase(), ips, from, to };
}

/** The intent id of a canonical request: the same request, the same id, in any process. */
export function intentIdOf(tenant: string, r: MailAccessRequest): string {
  const text = JSON.stringify([tenant.toLowerCase(), r.appId, r.ips, r.from.toISOString(), r.to.toISOString()]);
  return createHash('sha256').update(text).digest('hex').slice(0, 24);
}

/** The displayName a query is created with, and looked up by. */
export function displayNameOf(intentId: string): string {
  return `credwatch blast radius ${intentId}`;
}

function covers(record: AuditQueryRecord, r: MailAccessRequest): boolean {
  return record.from <= r.from && record.to >= r.to && r.ips.every((ip) => record.ips.includes(ip));
}

/** GRAPH_PERMISSION_MISSING on an audit query call means the blast radius cannot be known. */
function auditError(e: unknown): unknown {
  if (e instanceof CredwatchError && e.code === 'GRAPH_PERMISSION_MISSING') {
    return new CredwatchError(
      'BLAST_RADIUS_NO_PERMISSION',
      'Blast radius unknown: Graph refused the audit log query; credwatch needs AuditLogsQuery-Exchange.Read.All.',
      { cause: e, details: e.details },
    );
  }
  return e;
}

async function record(deps: MailAccessQueryDeps, rec: AuditQueryRecord, query: AuditQueryState): Promise<AuditQueryRecord> {
  const patch = { queryId: query.id, state: query.status, updatedAt: deps.now(), lastError: undefined };
  await deps.store.updateAuditQuery(rec.tenant, rec.intentId, patch);
  return { ...rec, ...patch };
}

/** Sends the create for a stored intent; a missing permission is stored as the intent's end. */
async function create(deps: MailAccessQueryDeps, rec: AuditQueryRecord): Promise<AuditQueryRecord> {
  let query: AuditQueryState;
  try {
    query = await createAuditQuery(deps.graph, { displayName: rec.displayName, ips: rec.ips, from: rec.from, to: rec.to });
  } catch (e: unknown) {
    const error = auditError(e);
    if (error instanceof CredwatchError && error.code === 'BLAST_RADIUS_NO_PERMISSION') {
      await deps.store.updateAuditQuery(rec.tenant, rec.intentId, { state: 'failed', updatedAt: deps.now(), lastError: error.code });
    }
    // Anything else leaves the intent `requested`: the query may exist, and the next call finds it.
    throw error;
  }
  return record(deps, rec, query);
}

/** An intent whose create answer never arrived: found by name, or created after the grace period. */
async function recover(deps: MailAccessQueryDeps, rec: AuditQueryRecord, graceInMs: number): Promise<AuditQueryRecord> {
  let found: AuditQueryState | undefined;
  try {
    found = await findQueryByDisplayName(deps.graph, rec.displayName);
  } catch (e: unknown) {
    throw auditError(e);
  }
  if (found) return record(deps, rec, found);
  // Not listed yet may mean not created, or created a moment ago: wait out the grace period
  // before sending the create again, so a slow list cannot cause a second query.
  if (deps.now().getTime() - rec.updatedAt.getTime() < graceInMs) return rec;
  await deps.store.updateAuditQuery(rec.tenant, rec.intentId, { updatedAt: deps.now() });
  return create(deps, { ...rec, updatedAt: deps.now() });
}

/**
 * The query that answers `request` for `tenant`: an existing one covering it, or a new one. Throws
 * BLAST_RADIUS_DAILY_CAP when the tenant's queries of the day are used up, BLAST_RADIUS_NO_PERMISSION
 * when Graph refuses (now or earlier, stored). The record may still lack a query id (`requested`)
 * when Graph's answer was lost: call again on a later scan.
 */
export async function openMailAccessQuery(
  deps: MailAccessQueryDeps,
  tenant: string,
  request: MailAccessRequest,
  options: OpenOptions = {},
): Promise<AuditQueryRecord> {
  const r = canonicalRequest(request);
  const grace = options.lostCreateGraceInMs ?? AUDIT_QUERY_DEFAULTS.lostCreateGraceInMs;
  const existing = (await deps.store.listAuditQueries(tenant, r.appId)).filter((q) => covers(q, r) && !DEAD.has(q.state));
  const usable = existing.find((q) => q.queryId !== undefined) ?? existing[0];
  if (usable) return usable.queryId === undefined ? recover(deps, usable, grace) : usable;

  const intentId = intentIdOf(tenant, r);
  const now = deps.now();
  const rec: AuditQueryRecord = {
    tenant,
    intentId,
    appId: r.appId,
    ips: [...r.ips],
    from: r.from,
    to: r.to,
    displayName: displayNameOf(intentId),
    requestedAt: now,
    queryId: undefined,
    state: 'requested',
    updatedAt: now,
    lastError: undefined,
  };
  const reservation = await deps.store.reserveAuditQuery(rec, options.dailyCap ?? AUDIT_QUERY_DEFAULTS.dailyCap);
  if ('capReached' in reservation) {
    throw new CredwatchError('BLAST_RADIUS_DAILY_CAP', `credwatch already created ${reservation.countToday} audit log queries for ${tenant} today.`, {
      details: { tenant, countToday: reservation.countToday },
    });
  }
  if (!reservation.reserved) {
    const stored = reservation.existing;
    if (stored.lastError === 'BLAST_RADIUS_NO_PERMISSION') {
      throw new CredwatchError('BLAST_RADIUS_NO_PERMISSION', 'Blast radius unknown: Graph refused this audit log query earlier for lack of permission.', {
        details: { intentId },
      });
    }
    return stored.queryId === undefined ? recover(deps, stored, grace) : stored;
  }
  return create(deps, rec);
}

export interface PollOptions {
  giveUpAfterInMs?: number;
  maxRecords?: number;
}

/** A poll's outcome: still waiting, or the records of a finished query. */
export type PollOutcome = { done: false; query: AuditQueryRecord } | { done: true; query: AuditQueryRecord; records: QueryRecords; complete: boolean };

/**
 * Asks Graph how the query stands and, once it succeeded, reads its records. Failed, cancelled or
 * unknown statuses throw BLAST_RADIUS_QUERY_FAILED; a query unfinished past `giveUpAfterInMs` is
 * abandoned with BLAST_RADIUS_TIMED_OUT.
 */
export async function pollMailAccessQuery(deps: MailAccessQueryDeps, query: AuditQueryRecord, options: PollOptions = {}): Promise<PollOutcome> {
  if (query.queryId === undefined) return { done: false, query };
  let state: AuditQueryState;
  try {
    state = await getAuditQuery(deps.graph, query.queryId);
  } catch (e: unknown) {
    throw auditError(e);
  }
  const current = await record(deps, query, state);
  const fail = async (code: 'BLAST_RADIUS_QUERY_FAILED' | 'BLAST_RADIUS_TIMED_OUT', message: string, stateAfter: AuditQueryRecord['state']): Promise<never> => {
    await deps.store.updateAuditQuery(query.tenant, query.intentId, { state: stateAfter, updatedAt: deps.now(), lastError: code });
    throw new CredwatchError(code, message, { details: { queryId: query.queryId, status: state.status } });
  };
  if (state.status === 'failed' || state.status === 'cancelled' || state.status === 'unknownFutureValue') {
    return fail('BLAST_RADIUS_QUERY_FAILED', `Audit log query ${query.queryId} ended ${state.status}.`, state.status);
  }
  if (state.status !== 'succeeded') {
    const waited = deps.now().getTime() - query.requestedAt.getTime();
    if (waited > (options.giveUpAfterInMs ?? AUDIT_QUERY_DEFAULTS.giveUpAfterInMs)) {
      return fail(
        'BLAST_RADIUS_TIMED_OUT',
        `Audit log query ${query.queryId} was still ${state.status} after ${Math.round(waited / 60_000)} minutes.`,
        'abandoned',
      );
    }
    return { done: false, query: current };
  }
  let records: QueryRecords;
  try {
    records = await readQueryRecords(deps.graph, query.queryId, { maxRecords: options.maxRecords ?? AUDIT_QUERY_DEFAULTS.maxRecords });
  } catch (e: unknown) {
    throw auditError(e);
  }
  return { done: true, query: current, records, complete: !records.capped && !state.recordLimitExceeded && records.unreadable === 0 };
}
