import type { TableClient } from '@azure/data-tables';
import { AzureTableStateStore } from '../src/state/azure-table.js';
import type { StoredAlert, StoredFinding } from '../src/state/types.js';
import { startAzurite } from '../test/helpers/azurite.js';
import { aggregate, alert, at, eventIds, storedFinding, windowCommit } from '../test/state/records.js';

const ROUNDS = 9;

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
 * committed by the previous window (as the re-read overlap does). Medians of {@link ROUNDS}
 * rounds; the SDK calls of one round show where the time goes. Azurite is slower per request
 * than the service, so these figures bound request counts and client cost more than latency.
 */
export async function benchTableStore(): Promise<Record<string, number | string>[]> {
  const azurite = await startAzurite();
  try {
    const calls = new Map<string, number>();
    const store = await AzureTableStateStore.open(
      { connectionString: azurite.connectionString },
      { tablePrefix: `bench${Date.now()}`, allowInsecureConnection: true, wrapTableClient: counting(calls) },
    );
    const commitMs: number[] = [];
    const filterMs: number[] = [];
    let perRound = '';
    for (let round = 0; round < ROUNDS; round++) {
      const findings: StoredFinding[] = Array.from({ length: 50 }, (_, i) => storedFinding(`f-${round}-${i}`, { finding: { occurredAt: at(round) } }));
      const alerts: StoredAlert[] = Array.from({ length: 10 }, (_, i) => alert(`alert-${i}`, { count: round + 1, lastSeen: at(round + 30) }));
      const aggregates = Array.from({ length: 5 }, (_, i) => aggregate({ network: `AS6450${i}`, count: 10 }));
      calls.clear();
      let t = performance.now();
      await store.commitWindow(windowCommit({ watermark: at(round), seenIds: eventIds(round * 1000, 1000), findings, alerts, aggregates }));
      commitMs.push(performance.now() - t);
      const commitCalls = JSON.stringify(Object.fromEntries(calls));
      calls.clear();
      t = performance.now();
      const unseen = await store.filterUnseen('contoso', 'signIns', eventIds(round * 1000 + 500, 1000));
      filterMs.push(performance.now() - t);
      if (unseen.length !== 500) throw new Error(`filterUnseen returned ${unseen.length} unseen ids, expected 500`);
      perRound = `commit ${commitCalls}; filterUnseen ${JSON.stringify(Object.fromEntries(calls))}`;
    }
    await store.close();
    return [
      {
        store: 'azure table on Azurite',
        rounds: ROUNDS,
        commitWindow1000SeenMedianMs: median(commitMs),
        filterUnseen1000MedianMs: median(filterMs),
        sdkCallsPerRound: perRound,
      },
    ];
  } finally {
    await azurite.stop();
  }
}
