/**
 * A window commit as a sequence of validated rows, in the order the stores write them. Validation
 * is lazy on purpose: the SQLite store writes each row as it comes, so an invalid record late in a
 * commit fails after earlier rows are already in the transaction, and the rollback is what keeps
 * the window out — the same path a disk error would take. The memory store stages every row
 * first and applies them only when the whole sequence validated.
 */
import type { AlertRow, FindingRow } from './codec-alerts.js';
import { encodeAlert, encodeFinding } from './codec-alerts.js';
import type { AggregateRow, LearnedNetworkRow, OutboxRow, SnapshotRow } from './codec-rows.js';
import { encodeAggregate, encodeLearnedNetwork, encodeOutbox, encodeSnapshot } from './codec-rows.js';
import type { WindowCommit } from './types.js';
import { requireKey, requireTenant, toMs, toOptionalMs } from './validate.js';

/** One row of a commit, tagged with where it goes. */
export type CommitOp =
  | { kind: 'seen'; id: string }
  | { kind: 'finding'; row: FindingRow }
  | { kind: 'alert'; row: AlertRow }
  | { kind: 'outbox'; row: OutboxRow }
  | { kind: 'aggregate'; row: AggregateRow }
  | { kind: 'learnedNetwork'; row: LearnedNetworkRow }
  | { kind: 'snapshot'; row: SnapshotRow };

/** The fields every seen id and the watermark share, validated up front. */
export interface CommitHeader {
  tenant: string;
  stream: string;
  seenExpiresAtMs: number;
  /** null when the commit does not move the watermark. */
  watermarkMs: number | null;
}

/** Validates the commit's own fields (not its records). */
export function commitHeader(c: WindowCommit): CommitHeader {
  return {
    tenant: requireKey(c.tenant, 'commit.tenant'),
    stream: requireKey(c.stream, 'commit.stream'),
    seenExpiresAtMs: toMs(c.seenExpiresAt, 'commit.seenExpiresAt'),
    watermarkMs: toOptionalMs(c.watermark, 'commit.watermark'),
  };
}

/**
 * The commit's records as rows; throws STATE_INVALID_INPUT at the first record no store may keep.
 * Every record must belong to the commit's tenant.
 */
export function* commitOps(c: WindowCommit): Generator<CommitOp> {
  const tenant = c.tenant;
  for (const id of c.seenIds) yield { kind: 'seen', id: requireKey(id, 'seen id') };
  for (const f of c.findings) {
    requireTenant(tenant, f.finding.tenant, `finding ${f.findingId}`);
    yield { kind: 'finding', row: encodeFinding(f) };
  }
  for (const a of c.alerts) {
    requireTenant(tenant, a.tenant, `alert ${a.alertId}`);
    yield { kind: 'alert', row: encodeAlert(a) };
  }
  for (const o of c.outbox) {
    requireTenant(tenant, o.tenant, `outbox entry ${o.id}`);
    yield { kind: 'outbox', row: encodeOutbox(o) };
  }
  for (const g of c.aggregates) {
    requireTenant(tenant, g.tenant, 'aggregate');
    yield { kind: 'aggregate', row: encodeAggregate(g) };
  }
  for (const n of c.learnedNetworks) {
    requireTenant(tenant, n.tenant, 'learned network');
    yield { kind: 'learnedNetwork', row: encodeLearnedNetwork(n) };
  }
  if (c.snapshot !== undefined) {
    requireTenant(tenant, c.snapshot.tenant, 'snapshot');
    yield { kind: 'snapshot', row: encodeSnapshot(c.snapshot) };
  }
}

/** Input ids without repeats, first occurrence first: one record listed twice is still one event. */
export function distinctIds(ids: readonly string[]): string[] {
  return [...new Set(ids)];
}
