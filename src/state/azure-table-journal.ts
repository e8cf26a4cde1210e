/**
 * The commit journal: a whole window, validated and encoded, written as the rows of one partition
 * of the Journal table in ONE transaction, so it exists whole or not at all. Its id orders commits:
 * wall-clock milliseconds, raised past every id this process has seen (a Lamport clock), so a
 * commit built on data another commit wrote always sorts after it, whatever the clocks say.
 */
import { randomBytes } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { CredwatchError } from '../errors.js';
import type { AlertRow, FindingRow } from './codec-alerts.js';
import type { AggregateRow, LearnedNetworkRow, OutboxRow } from './codec-rows.js';
import { encodeIntervals } from './coverage.js';
import { commitHeader, commitOps } from './commit.js';
import type { BlobRef } from './azure-table-chunks.js';
import { deleteRows, queryRows, type NewEntity } from './azure-table-client.js';
import { partitionFilter } from './azure-table-keys.js';
import { compressToChunks, corrupt, decompressChunks, double, joinParts, numberColumn, partColumns } from './azure-table-pack.js';
import { sumAggregates } from './azure-table-rows.js';
import type { WindowCommit } from './types.js';
import { invalidInput } from './validate.js';

const JOURNAL_VERSION = 1;
/**
 * Compressed bytes one journal may hold: base64 in the request makes 4/3 of it, which must stay
 * under the 4 MiB limit of one transaction. Roughly 20 MB of window as JSON.
 */
export const JOURNAL_MAX_BYTES = 2_900_000;
const FIRST_ROW = 'j0000';

/** Issues journal ids; see the module comment for why they are not plain timestamps. */
export class JournalClock {
  #lastMs = 0;

  next(): string {
    // Real time on purpose, not the store's injected clock: the order must hold across processes.
    const ms = Math.max(Date.now(), this.#lastMs + 1);
    this.#lastMs = ms;
    return `${String(ms).padStart(15, '0')}-${randomBytes(4).toString('hex')}`;
  }

  /** Orders this process's next commits after `jid`, a commit whose data it has read. */
  observe(jid: string): void {
    const ms = jidMs(jid);
    if (ms !== undefined && ms > this.#lastMs) this.#lastMs = ms;
  }
}

/** When a journal id (or a generation named after one) was issued. */
export function jidMs(jid: string): number | undefined {
  const ms = Number(jid.slice(0, 15));
  return /^\d{15}-/.test(jid) && Number.isSafeInteger(ms) ? ms : undefined;
}

/** Everything a commit applies, as the shared codecs' rows. */
export interface JournalPayload {
  v: number;
  jid: string;
  tenant: string;
  stream: string;
  seenExpiresAtMs: number;
  watermarkMs: number | null;
  /** Covered intervals as `[fromMs, toMs]` pairs; absent in journals written before they existed. */
  covered?: Array<[number, number]>;
  seen: string[];
  findings: FindingRow[];
  alerts: AlertRow[];
  outbox: OutboxRow[];
  /** Summed per key: a commit contributes one row per key. */
  aggregates: AggregateRow[];
  learned: LearnedNetworkRow[];
  snapshot: { takenAtMs: number; ref: BlobRef } | null;
}

/**
 * Validates and encodes a commit, with the same rules and precedence as the other stores: a
 * finding, outbox entry or learned network listed twice keeps its first copy, an alert its last,
 * and aggregates with one key add up. The snapshot's text is returned apart; the caller decides
 * where it goes.
 */
export function stageCommit(commit: WindowCommit): {
  payload: Omit<JournalPayload, 'jid' | 'snapshot'>;
  snapshot: { takenAtMs: number; text: string } | undefined;
} {
  const h = commitHeader(commit);
  const seen = new Set<string>();
  const findings = new Map<string, FindingRow>();
  const alerts = new Map<string, AlertRow>();
  const outbox = new Map<string, OutboxRow>();
  const aggregates: AggregateRow[] = [];
  const learned = new Map<string, LearnedNetworkRow>();
  let snapshot: { takenAtMs: number; text: string } | undefined;
  for (const op of commitOps(commit)) {
    switch (op.kind) {
      case 'seen':
        seen.add(op.id);
        break;
      case 'finding':
        if (!findings.has(op.row.finding_id)) findings.set(op.row.finding_id, op.row);
        break;
      case 'alert':
        alerts.set(op.row.alert_id, op.row);
        break;
      case 'outbox':
        if (!outbox.has(op.row.id)) outbox.set(op.row.id, op.row);
        break;
      case 'aggregate':
        aggregates.push(op.row);
        break;
      case 'learnedNetwork': {
        const k = JSON.stringify([op.row.app_id, op.row.network]);
        if (!learned.has(k)) learned.set(k, op.row);
        break;
      }
      case 'snapshot':
        snapshot = { takenAtMs: op.row.taken_at_ms, text: op.row.body };
        break;
    }
  }
  const payload = {
    v: JOURNAL_VERSION,
    ...h,
    covered: encodeIntervals(commit.covered).map((i): [number, number] => [i.fromMs, i.toMs]),
    seen: [...seen],
    findings: [...findings.values()],
    alerts: [...alerts.values()],
    outbox: [...outbox.values()],
    aggregates: sumAggregates(aggregates),
    learned: [...learned.values()],
  };
  return { payload, snapshot };
}

/** The journal's rows; STATE_INVALID_INPUT, naming the size, when it exceeds one transaction. */
export async function encodeJournal(payload: JournalPayload): Promise<NewEntity[]> {
  const { bytes, chunks } = await compressToChunks(JSON.stringify(payload));
  if (bytes > JOURNAL_MAX_BYTES) {
    throw invalidInput(
      `the window of ${payload.tenant}/${payload.stream} is ${bytes} bytes compressed; one Azure Table commit holds at most ${JOURNAL_MAX_BYTES} (commit it in smaller windows)`,
      { tenant: payload.tenant, stream: payload.stream, compressedBytes: bytes, maxBytes: JOURNAL_MAX_BYTES },
    );
  }
  return chunks.map((chunk, i) => ({
    partitionKey: payload.jid,
    rowKey: `j${String(i).padStart(4, '0')}`,
    ...(i === 0 ? { v: double(JOURNAL_VERSION), n: double(chunks.length) } : {}),
    ...partColumns('z', chunk),
  }));
}

/** Writes the journal in one transaction: after this resolves the window is committed. */
export async function writeJournal(client: TableClient, rows: readonly NewEntity[]): Promise<void> {
  await client.submitTransaction(rows.map((row) => ['create', row]));
}

/** Ids of the journals not yet applied, oldest first. */
export async function listJournals(client: TableClient): Promise<string[]> {
  const heads = await queryRows(client, `RowKey eq '${FIRST_ROW}'`, ['PartitionKey']);
  return heads.map((h) => h.partitionKey ?? '').sort();
}

/** A journal's payload, or undefined when it was applied and deleted meanwhile. */
export async function readJournal(client: TableClient, jid: string): Promise<JournalPayload | undefined> {
  const what = `journal ${jid}`;
  const rows = await queryRows(client, partitionFilter(jid));
  if (rows.length === 0) return undefined;
  const head = rows.find((r) => r.rowKey === FIRST_ROW);
  if (head === undefined) throw corrupt(`${what} has no first row`, what);
  const version = numberColumn(head, 'v', what);
  if (version > JOURNAL_VERSION) {
    throw new CredwatchError('STATE_VERSION_UNSUPPORTED', `${what} was written by a newer credwatch (journal version ${version})`, {
      details: { jid, version },
    });
  }
  const count = numberColumn(head, 'n', what);
  rows.sort((a, b) => ((a.rowKey ?? '') < (b.rowKey ?? '') ? -1 : 1));
  if (rows.length !== count) throw corrupt(`${what} has ${rows.length} of its ${count} rows`, what);
  const parts = rows.map((r) => joinParts(r, 'z') ?? Buffer.alloc(0));
  const text = await decompressChunks(parts, what);
  let payload: JournalPayload;
  try {
    payload = JSON.parse(text) as JournalPayload;
  } catch (e: unknown) {
    throw corrupt(`${what} is not valid JSON`, what, e);
  }
  if (payload.v !== JOURNAL_VERSION || payload.jid !== jid || !Array.isArray(payload.seen)) throw corrupt(`${what} is not a credwatch journal`, what);
  return payload;
}

/** Removes an applied journal (someone else may have removed it already). */
export async function deleteJournal(client: TableClient, jid: string): Promise<void> {
  const rows = await queryRows(client, partitionFilter(jid), ['RowKey']);
  await deleteRows(
    client,
    jid,
    rows.map((r) => r.rowKey ?? ''),
  );
}
