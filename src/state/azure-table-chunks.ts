/**
 * Values larger than an entity (an inventory snapshot can be tens of MB for a big tenant, a cache
 * body hundreds of KB): a pointer row `p` per partition and, for anything past one string
 * property, gzipped chunk rows `c~<generation>~<n>` beside it. A writer stores the chunks of a new
 * generation first, then switches the pointer with its etag, then deletes the generation it
 * replaced; a reader follows the pointer, so it sees the old value or the new one, never a mix.
 * Chunks a crash left behind are unreferenced and removed by `purgeExpired`.
 */
import type { TableClient, TransactionAction } from '@azure/data-tables';
import { casRow } from './azure-table-cas.js';
import { deleteRows, getRow, queryRows, submitAll, type Entity } from './azure-table-client.js';
import { joinKey, prefixFilter } from './azure-table-keys.js';
import { compressToChunks, corrupt, decompressChunks, double, joinParts, numberColumn, partColumns, PLAIN_MAX_CHARS } from './azure-table-pack.js';
import { contention } from './azure-table-errors.js';

export const POINTER = 'p';
const CHUNK = 'c';
const MAX_POINTER_MOVES = 8;

/** Where a value's text is: in the pointer row itself, or in the chunk rows of a generation. */
export type BlobRef = { text: string } | { gen: string; chunks: number };

/** A value ready to store: its reference and the chunk rows still to write (none when inline). */
export interface PreparedBlob {
  ref: BlobRef;
  chunks: Buffer[];
}

/** Keeps short text inline; compresses the rest into chunks of generation `gen`. */
export async function prepareBlob(text: string, gen: string): Promise<PreparedBlob> {
  if (text.length <= PLAIN_MAX_CHARS) return { ref: { text }, chunks: [] };
  const { chunks } = await compressToChunks(text);
  return { ref: { gen, chunks: chunks.length }, chunks };
}

function chunkKey(gen: string, index: number): string {
  return joinKey(CHUNK, gen, String(index).padStart(5, '0'));
}

/** Writes a generation's chunk rows (nothing points to them yet, so order and batching are free). */
export async function writeChunks(client: TableClient, pk: string, gen: string, chunks: readonly Buffer[]): Promise<void> {
  const actions: TransactionAction[] = chunks.map((chunk, i) => [
    'upsert',
    { partitionKey: pk, rowKey: chunkKey(gen, i), ...partColumns('z', chunk) },
    'Replace',
  ]);
  await submitAll(client, actions);
}

/** The pointer row's columns for a reference. */
export function refColumns(ref: BlobRef): Record<string, unknown> {
  return 'text' in ref ? { d: ref.text } : { gen: ref.gen, n: double(ref.chunks) };
}

/** The generation a pointer row refers to, if its value is chunked. */
export function generationOf(pointer: Entity | undefined): string | undefined {
  const gen = pointer?.['gen'];
  return typeof gen === 'string' ? gen : undefined;
}

function refOf(pointer: Entity, what: string): BlobRef {
  const text = pointer['d'];
  if (typeof text === 'string') return { text };
  const gen = generationOf(pointer);
  if (gen === undefined) throw corrupt(`stored ${what} has neither text nor a chunk generation`, what);
  return { gen, chunks: numberColumn(pointer, 'n', what) };
}

/** The text, or undefined when the generation's chunks are gone (the pointer moved meanwhile). */
async function loadBlob(client: TableClient, pk: string, ref: BlobRef, what: string): Promise<string | undefined> {
  if ('text' in ref) return ref.text;
  const rows = await queryRows(client, prefixFilter(pk, joinKey(CHUNK, ref.gen)));
  if (rows.length !== ref.chunks) return undefined;
  // The service returns a partition in RowKey order; sort anyway rather than trust it silently.
  rows.sort((a, b) => ((a.rowKey ?? '') < (b.rowKey ?? '') ? -1 : 1));
  const parts = rows.map((row, i) => {
    const bytes = row.rowKey === chunkKey(ref.gen, i) ? joinParts(row, 'z') : undefined;
    if (bytes === undefined) throw corrupt(`stored ${what} has a damaged chunk ${i} of generation ${ref.gen}`, what);
    return bytes;
  });
  return decompressChunks(parts, what);
}

/** The pointer row and its value's text, or undefined when there is none. */
export async function readPointed(client: TableClient, pk: string, what: string): Promise<{ pointer: Entity; text: string } | undefined> {
  let previousEtag: string | undefined;
  for (let move = 0; move < MAX_POINTER_MOVES; move++) {
    const pointer = await getRow(client, pk, POINTER);
    if (pointer === undefined) return undefined;
    // Chunks missing under a pointer nobody moved cannot come back: that is damage, not a race.
    if (pointer.etag === previousEtag) throw corrupt(`stored ${what} points to chunks that do not exist`, what);
    const text = await loadBlob(client, pk, refOf(pointer, what), what);
    if (text !== undefined) return { pointer, text };
    previousEtag = pointer.etag;
  }
  throw contention(`reading ${what}`, MAX_POINTER_MOVES);
}

/** Removes a generation's chunk rows. */
export async function dropGeneration(client: TableClient, pk: string, gen: string): Promise<void> {
  const rows = await queryRows(client, prefixFilter(pk, joinKey(CHUNK, gen)), ['RowKey']);
  await deleteRows(
    client,
    pk,
    rows.map((r) => r.rowKey ?? ''),
  );
}

/**
 * Points `pk` at a new value when `replaces(current)` says so, then deletes the generation that
 * became unreachable: the one replaced, or this value's own when a newer one already won. Chunks
 * are deleted only after a pointer switch that is known to have happened, never after an error
 * (the switch may have succeeded without an answer); `purgeExpired` collects those.
 */
export async function switchPointer(
  client: TableClient,
  pk: string,
  columns: Record<string, unknown>,
  ref: BlobRef,
  replaces: (current: Entity | undefined) => boolean,
  what: string,
): Promise<void> {
  const { previous, written } = await casRow(client, pk, POINTER, (current) => (replaces(current) ? { ...columns, ...refColumns(ref) } : undefined), what);
  const mine = 'gen' in ref ? ref.gen : undefined;
  const theirs = generationOf(previous);
  const unreachable = written ? theirs : mine;
  if (unreachable !== undefined && unreachable !== (written ? mine : theirs)) await dropGeneration(client, pk, unreachable);
}
