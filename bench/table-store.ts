import { TableClient, type TransactionAction } from '@azure/data-tables';
import { AzureTableStateStore } from '../src/state/azure-table.js';
import { byPartition } from '../src/state/azure-table-client.js';
import { keyPart } from '../src/state/azure-table-keys.js';
import { hashedPartition } from '../src/state/azure-table-seen.js';
import type { StoredAlert, StoredFinding } from '../src/state/types.js';
import { startAzurite } from '../test/helpers/azurite.js';
import { aggregate, alert, at, eventIds, storedFinding, T0, windowCommit } from '../test/state/records.js';

const ROUNDS = 9;

/**
 * Sign-ins' seen ids as the scan makes them (`<createdDateTime ms, 13 digits>:<Graph id>`,
 * src/scan/stages/signin-seen.ts): a busy tenant's, four sign-ins a second from T0.
 */
function timeKeyedIds(from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    return `${String(T0.getTime() + n * 250).padStart(13, '0')}:${n.toString(16).padStart(8, '0')}-0000-4000-8000-000000000000`;
  });
}

const ID_KINDS: ReadonlyArray<{ name: string; ids: (from: number, count: number) => string[] }> = [
  { name: 'bare ids (audits)', ids: eventIds },
  { name: 'time-keyed ids (sign-ins)', ids: timeKeyedIds },
];

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Number((sorted[Math.floor(sorted.length / 2)] ?? NaN).toFixed(1));
}

/** Counts the SDK calls each table client makes (point reads, queries, transactions). */
function counting(calls: Map<string, number>): (client: TableClient) => TableClient {
  return (client) =>
    new Proxy(client, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.set(String(prop), (calls.get(String(prop)) ?? 0) + 1);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
}

/**
 * The Azure Table store against Azurite (in memory, loopback): commitWindow of 1,000 seen ids,
 * 50 findings, 10 alerts and aggregates, then filterUnseen of 1,000 ids of which half were
 * committed by the previous window (as the re-read overlap does), for bare ids and for sign-ins'
 * time-keyed ids; then an upgraded store, whose time-keyed ids an older release stored in the
 * hashed layout (docs/state.md, "Azure Table Storage"). Medians of {@link ROUNDS} rounds; the SDK
 * calls of the first and the last round show where the time goes (the first filterUnseen of a
 * store also decides its seen-id layout marker). Azurite is slower per request than the service,
 * and its inserts slow down as a partition grows, so these figures bound request counts and
 * client cost more than latency.
 */
export async function benchTableStore(): Promise<Record<string, number | string>[]> {
  const azurite = await startAzurite();
  try {
    const rows: Record<string, number | string>[] = [];
    for (const kind of ID_KINDS) rows.push(await benchIds(azurite.connectionString, kind.name, kind.ids));
    rows.push(await benchUpgraded(azurite.connectionString));
    return rows;
  } finally {
    await azurite.stop();
  }
}

function openStore(connectionString: string, calls: Map<string, number>): Promise<AzureTableStateStore> {
  return AzureTableStateStore.open(
    { connectionString },
    { tablePrefix: `bench${Date.now()}`, allowInsecureConnection: true, wrapTableClient: counting(calls) },
  );
}

const callsOf = (calls: Map<string, number>): string => JSON.stringify(Object.fromEntries(calls));

async function benchIds(connectionString: string, idKind: string, ids: (from: number, count: number) => string[]): Promise<Record<string, number | string>> {
  const calls = new Map<string, number>();
  const store = await openStore(connectionString, calls);
  const commitMs: number[] = [];
  const filterMs: number[] = [];
  const perRound: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const findings: StoredFinding[] = Array.from({ length: 50 }, (_, i) => storedFinding(`f-${round}-${i}`, { finding: { occurredAt: at(round) } }));
    const alerts: StoredAlert[] = Array.from({ length: 10 }, (_, i) => alert(`alert-${i}`, { count: round + 1, lastSeen: at(round + 30) }));
    const aggregates = Array.from({ length: 5 }, (_, i) => aggregate({ network: `AS6450${i}`, count: 10 }));
    calls.clear();
    let t = performance.now();
    await store.commitWindow(windowCommit({ watermark: at(round), seenIds: ids(round * 1000, 1000), findings, alerts, aggregates }));
    commitMs.push(performance.now() - t);
    const commitCalls = callsOf(calls);
    calls.clear();
    t = performance.now();
    const unseen = await store.filterUnseen('contoso', 'signIns', ids(round * 1000 + 500, 1000));
    filterMs.push(performance.now() - t);
    if (unseen.length !== 500) throw new Error(`filterUnseen returned ${unseen.length} unseen ids, expected 500`);
    perRound.push(`commit ${commitCalls}; filterUnseen ${callsOf(calls)}`);
  }
  await store.close();
  return {
    store: 'azure table on Azurite',
    ids: idKind,
    rounds: ROUNDS,
    commitWindow1000SeenMedianMs: median(commitMs),
    filterUnseen1000MedianMs: median(filterMs),
    sdkCallsFirstRound: perRound[0] ?? '',
    sdkCallsLastRound: perRound[perRound.length - 1] ?? '',
  };
}

/**
 * filterUnseen of 1,000 time-keyed ids, half of them stored by the release before the time
 * layout (one row per id in 16 hash buckets), as in the scans right after an upgrade.
 */
async function benchUpgraded(connectionString: string): Promise<Record<string, number | string>> {
  const calls = new Map<string, number>();
  const store = await openStore(connectionString, calls);
  const table = TableClient.fromConnectionString(connectionString, `${store.tablePrefix}Seen`, { allowInsecureConnection: true });
  const old = timeKeyedIds(0, 500);
  const expires = { value: Date.now() + 86_400_000, type: 'Double' };
  for (const [pk, group] of byPartition(old, (id) => hashedPartition('contoso', 'signIns', id))) {
    await table.submitTransaction(group.map((id): TransactionAction => ['create', { partitionKey: pk, rowKey: keyPart(id), e: expires }]));
  }
  const filterMs: number[] = [];
  const perRound: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    calls.clear();
    const t = performance.now();
    const unseen = await store.filterUnseen('contoso', 'signIns', timeKeyedIds(0, 1000));
    filterMs.push(performance.now() - t);
    if (unseen.length !== 500) throw new Error(`filterUnseen returned ${unseen.length} unseen ids, expected 500`);
    perRound.push(`filterUnseen ${callsOf(calls)}`);
  }
  await store.close();
  return {
    store: 'azure table on Azurite',
    ids: 'time-keyed ids, half stored by the previous layout (upgraded store)',
    rounds: ROUNDS,
    filterUnseen1000MedianMs: median(filterMs),
    sdkCallsFirstRound: perRound[0] ?? '',
    sdkCallsLastRound: perRound[perRound.length - 1] ?? '',
  };
}
