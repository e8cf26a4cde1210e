/**
 * Applies a journal to the tables. Every effect is idempotent, so a journal applied twice, by two
 * processes at once, or again after a crash halfway, leaves the same state as once: seen ids and
 * the watermark keep the later value, findings, outbox entries and learned networks are inserted
 * only when absent, alerts and the snapshot pointer change only for a later journal, and each
 * journal's aggregate contribution is a row of its own. The watermark moves last, the journal is
 * deleted after everything else.
 */
import { casPartition, casRow } from './azure-table-cas.js';
import { addCoverage } from './azure-table-coverage.js';
import { BATCH_CONCURRENCY, byPartition, mapLimit, submitAll, type Tables } from './azure-table-client.js';
import { switchPointer } from './azure-table-chunks.js';
import { deleteJournal, type JournalPayload } from './azure-table-journal.js';
import { keyPart } from './azure-table-keys.js';
import { OUTBOX_PARTITION, outboxInsertItem } from './azure-table-outbox.js';
import { double, numberColumn } from './azure-table-pack.js';
import {
  aggregateAction,
  ALERT_ROW,
  alertEntityColumns,
  findingItem,
  findingsPartition,
  jidOf,
  learnedItem,
  learnedPartition,
  seenItem,
  seenPartition,
} from './azure-table-rows.js';

/**
 * Builds every entity of the journal up front, so a record no entity can hold fails with
 * STATE_INVALID_INPUT before the journal is written, and returns the function that applies them.
 */
export function planApply(t: Tables, p: JournalPayload): () => Promise<void> {
  const seen = [...byPartition(p.seen, (id) => seenPartition(p.tenant, p.stream, id))].map(([pk, ids]) => ({
    pk,
    items: ids.map((id) => seenItem(pk, id, p.seenExpiresAtMs)),
  }));
  const findings = p.findings.map(findingItem);
  const alerts = p.alerts.map((row) => ({ id: row.alert_id, columns: alertEntityColumns(row, p.jid) }));
  const outbox = p.outbox.map(outboxInsertItem);
  const aggregates = p.aggregates.map((row) => aggregateAction(row, p.jid));
  const learned = [...byPartition(p.learned, (r) => learnedPartition(r.tenant, r.app_id))].map(([pk, rows]) => ({ pk, items: rows.map(learnedItem) }));
  const later = (current: Parameters<typeof jidOf>[0]): boolean => jidOf(current) < p.jid;

  const steps: Array<() => Promise<unknown>> = [
    () => mapLimit(seen, BATCH_CONCURRENCY, (g) => casPartition(t.Seen, g.pk, g.items, { assumeAbsent: true, what: `seen ids of ${p.tenant}/${p.stream}` })),
    () => casPartition(t.Findings, findingsPartition(p.tenant), findings, { assumeAbsent: true, what: `findings of ${p.tenant}` }),
    () =>
      mapLimit(alerts, BATCH_CONCURRENCY, (a) => casRow(t.Alerts, keyPart(a.id), ALERT_ROW, (cur) => (later(cur) ? a.columns : undefined), `alert ${a.id}`)),
    () => casPartition(t.Outbox, OUTBOX_PARTITION, outbox, { assumeAbsent: true, what: 'outbox' }),
    () => submitAll(t.Aggregates, aggregates),
    () =>
      mapLimit(learned, BATCH_CONCURRENCY, (g) =>
        casPartition(t.LearnedNetworks, g.pk, g.items, { assumeAbsent: true, what: `learned networks of ${p.tenant}` }),
      ),
  ];
  const snapshot = p.snapshot;
  if (snapshot !== null) {
    steps.push(() =>
      switchPointer(t.Snapshots, keyPart(p.tenant), { jid: p.jid, t: double(snapshot.takenAtMs) }, snapshot.ref, later, `snapshot of ${p.tenant}`),
    );
  }
  const watermarkMs = p.watermarkMs;
  const covered = (p.covered ?? []).map(([fromMs, toMs]) => ({ fromMs, toMs }));

  return async () => {
    // allSettled, not all: a failed step must not return while the others still write.
    const settled = await Promise.allSettled(steps.map((step) => step()));
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    // After the window's records, like the watermark: covered time only ever names stored records.
    if (covered.length > 0) await addCoverage(t.Watermarks, p.tenant, p.stream, covered);
    if (watermarkMs !== null) {
      await casRow(
        t.Watermarks,
        keyPart(p.tenant),
        keyPart(p.stream),
        (cur) => (cur === undefined || numberColumn(cur, 'ms', 'watermark') < watermarkMs ? { ms: double(watermarkMs) } : undefined),
        `watermark of ${p.tenant}/${p.stream}`,
      );
    }
    await deleteJournal(t.Journal, p.jid);
  };
}
