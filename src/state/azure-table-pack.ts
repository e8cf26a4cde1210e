/**
 * Text in entity properties within Table Storage's limits: a string property holds at most 64 KiB
 * (32K UTF-16 units), a binary one 64 KiB, an entity 1 MiB and 255 properties. Short text stays
 * a readable string; longer text is gzipped and split across binary properties, so a finding or an
 * outbox payload that grows past 32K characters is stored instead of failing in production only.
 */
import { gunzip, gunzipSync, gzip, gzipSync } from 'node:zlib';
import { promisify } from 'node:util';
import { CredwatchError } from '../errors.js';
import type { Entity } from './azure-table-client.js';
import { invalidInput } from './validate.js';

/** Text up to this many UTF-16 units is stored as one plain string property. */
export const PLAIN_MAX_CHARS = 32_000;
/** Bytes per binary property: under 64 KiB. */
const PART_BYTES = 64_000;
/**
 * Binary properties per entity. Azure counts a binary property's bytes towards the 1 MiB entity
 * limit, Azurite counts its base64 form (4/3 larger): 11 × 64,000 bytes stays under both.
 */
const PARTS_PER_ENTITY = 11;
/** Compressed bytes one entity holds. */
export const ENTITY_MAX_BYTES = PART_BYTES * PARTS_PER_ENTITY;

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

export type PackedColumns = Record<string, string | Uint8Array>;

/** `bytes` as binary properties `${name}0` … `${name}10`; the caller checked they fit. */
export function partColumns(name: string, bytes: Uint8Array): PackedColumns {
  const columns: PackedColumns = {};
  for (let i = 0, off = 0; off < bytes.length || i === 0; i++, off += PART_BYTES) {
    columns[`${name}${i}`] = bytes.subarray(off, off + PART_BYTES);
  }
  return columns;
}

/** The bytes `partColumns` split, joined again (undefined when the entity has none). */
export function joinParts(entity: Entity, name: string): Buffer | undefined {
  const parts: Uint8Array[] = [];
  for (let i = 0; ; i++) {
    const part = entity[`${name}${i}`];
    if (!(part instanceof Uint8Array)) break;
    parts.push(part);
  }
  return parts.length === 0 ? undefined : Buffer.concat(parts);
}

/** The columns that store `text` under `name` in one entity; STATE_INVALID_INPUT when it cannot fit. */
export function packText(name: string, text: string, what: string): PackedColumns {
  if (text.length <= PLAIN_MAX_CHARS) return { [name]: text };
  const bytes = gzipSync(text);
  if (bytes.length > ENTITY_MAX_BYTES) {
    throw invalidInput(`${what} is ${bytes.length} bytes compressed; one Table Storage entity holds at most ${ENTITY_MAX_BYTES}`, {
      what,
      compressedBytes: bytes.length,
    });
  }
  return partColumns(name, bytes);
}

/** The text `packText` stored; STATE_CORRUPT when the entity holds neither form or bad gzip. */
export function unpackText(entity: Entity, name: string, what: string): string {
  const plain = entity[name];
  if (typeof plain === 'string') return plain;
  const bytes = joinParts(entity, name);
  if (bytes === undefined) throw corrupt(`stored ${what} has no ${name} property`, what);
  try {
    return gunzipSync(bytes).toString('utf8');
  } catch (e: unknown) {
    throw corrupt(`stored ${what} is not valid gzip`, what, e);
  }
}

/** Gzipped text split into entity-sized pieces (for snapshots, cache bodies and journals). */
export async function compressToChunks(text: string): Promise<{ bytes: number; chunks: Buffer[] }> {
  const bytes = await gzipAsync(text);
  const chunks: Buffer[] = [];
  for (let off = 0; off < bytes.length || off === 0; off += ENTITY_MAX_BYTES) chunks.push(bytes.subarray(off, off + ENTITY_MAX_BYTES));
  return { bytes: bytes.length, chunks };
}

/** The text `compressToChunks` split. */
export async function decompressChunks(chunks: readonly Uint8Array[], what: string): Promise<string> {
  try {
    return (await gunzipAsync(Buffer.concat(chunks))).toString('utf8');
  } catch (e: unknown) {
    throw corrupt(`stored ${what} is not valid gzip`, what, e);
  }
}

export function corrupt(message: string, what: string, cause?: unknown): CredwatchError {
  return new CredwatchError('STATE_CORRUPT', message, { details: { what }, ...(cause === undefined ? {} : { cause }) });
}

/** A string property, or STATE_CORRUPT. */
export function stringColumn(entity: Entity, name: string, what: string): string {
  const value = entity[name];
  if (typeof value !== 'string') throw corrupt(`stored ${what} lacks the string property ${name}`, what);
  return value;
}

/** A finite number property, or STATE_CORRUPT. */
export function numberColumn(entity: Entity, name: string, what: string): number {
  const value = entity[name];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw corrupt(`stored ${what} lacks the number property ${name}`, what);
  return value;
}

/** A number stored as Edm.Double: untyped integers would become Int32 and overflow for epoch ms. */
export function double(n: number): { value: number; type: 'Double' } {
  return { value: n, type: 'Double' };
}
