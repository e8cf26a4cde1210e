/**
 * Optimistic concurrency on Table Storage: read a row, decide what to write from what is there,
 * write on condition (create fails with 409 if the row appeared, update with the etag fails with
 * 412 if it changed or 404 if it went), and on a conflict read again and decide again. This is
 * how the watermark never moves back, an outbox entry is inserted once and a `sent` entry is never
 * overwritten, with any number of writers and replays at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { TableClient, TransactionAction } from '@azure/data-tables';
import { BATCH_CONCURRENCY, getRow, isConflict, mapLimit, READ_CONCURRENCY, toBatches, type Entity, type NewEntity } from './azure-table-client.js';
import { contention } from './azure-table-errors.js';

/** Each round at least one writer wins and losers usually find a later value and stop; 30 covers dozens at once. */
export const MAX_ATTEMPTS = 30;

/** A conditional write of `entity` over `current`: create when absent, replace only that version otherwise. */
export function writeOver(entity: NewEntity, current: Entity | undefined): TransactionAction {
  return current === undefined ? ['create', entity] : ['update', entity, 'Replace', { etag: current.etag }];
}

/** One row of a conditional batch and how to change it. */
export interface CasItem {
  rowKey: string;
  /**
   * The actions for the row's current version (undefined when absent), which must include a
   * conditional write of that row; none when it needs nothing. Other rows of the same partition
   * may be written alongside (an index), unconditionally.
   */
  plan(current: Entity | undefined): readonly TransactionAction[];
}

async function readRows(client: TableClient, pk: string, rowKeys: readonly string[]): Promise<Map<string, Entity | undefined>> {
  const rows = await mapLimit(rowKeys, READ_CONCURRENCY, (rk) => getRow(client, pk, rk));
  return new Map(rowKeys.map((rk, i) => [rk, rows[i]]));
}

export async function backoff(attempt: number): Promise<void> {
  // Writers that collided would collide again in lockstep; a little jitter separates them.
  await sleep(Math.floor(Math.random() * 5 * attempt));
}

/**
 * Applies `items` (distinct row keys, one partition) in as few transactions as the limits allow.
 * With `assumeAbsent`, the first round skips the reads and creates every row: right for ids that
 * are new almost always (seen ids, outbox entries), and a conflict costs only the read it skipped.
 */
export async function casPartition(
  client: TableClient,
  pk: string,
  items: readonly CasItem[],
  options: { assumeAbsent: boolean; what: string },
): Promise<void> {
  let pending = items;
  let current = options.assumeAbsent
    ? new Map<string, Entity | undefined>()
    : await readRows(
        client,
        pk,
        items.map((i) => i.rowKey),
      );
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const planned = pending.map((item) => ({ item, actions: item.plan(current.get(item.rowKey)) })).filter((p) => p.actions.length > 0);
    if (planned.length === 0) return;
    const conflicted: CasItem[] = [];
    await mapLimit(
      toBatches(planned, (p) => p.actions),
      BATCH_CONCURRENCY,
      async (batch) => {
        try {
          await client.submitTransaction(batch.flatMap((p) => p.actions));
        } catch (e: unknown) {
          if (!isConflict(e)) throw e;
          conflicted.push(...batch.map((p) => p.item));
        }
      },
    );
    if (conflicted.length === 0) return;
    await backoff(attempt);
    pending = conflicted;
    current = await readRows(
      client,
      pk,
      conflicted.map((i) => i.rowKey),
    );
  }
  throw contention(options.what, MAX_ATTEMPTS);
}

/** What {@link casRow} did: the version it decided on, and whether it wrote over it. */
export interface CasOutcome {
  previous: Entity | undefined;
  written: boolean;
}

/**
 * Read-decide-write on one row until it sticks. `next` returns the new properties, or undefined to
 * leave the row as it is.
 */
export async function casRow(
  client: TableClient,
  pk: string,
  rk: string,
  next: (current: Entity | undefined) => Record<string, unknown> | undefined,
  what: string,
): Promise<CasOutcome> {
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    const current = await getRow(client, pk, rk);
    const props = next(current);
    if (props === undefined) return { previous: current, written: false };
    const entity: NewEntity = { ...props, partitionKey: pk, rowKey: rk };
    try {
      if (current === undefined) await client.createEntity(entity);
      else await client.updateEntity(entity, 'Replace', { etag: current.etag });
      return { previous: current, written: true };
    } catch (e: unknown) {
      if (!isConflict(e)) throw e;
      await backoff(attempt);
    }
  }
  throw contention(what, MAX_ATTEMPTS);
}
