/**
 * PartitionKey and RowKey values for the Azure Table store. Table Storage refuses `/ \ # ?` and
 * control characters in keys and limits each key to 1 KiB, and `%` and `'` break some of its
 * operations (and Azurite's) although they are allowed; so every caller-supplied value (tenant,
 * stream, ids, channel, app id, network, cache key) goes through {@link keyPart}, which keeps only
 * `A-Z a-z 0-9 - . :` and escapes everything else with `_`. The encoding is injective, keeps the
 * order of ISO timestamps and GUIDs, and never produces `~`, which joins the parts of a key.
 */
import { createHash } from 'node:crypto';

/** Joins the parts of a composite key; `keyPart` never emits it, and it sorts after every character it does. */
export const SEP = '~';

/** Longest escaped part kept as is; four of them plus separators stay under the 1 KiB key limit. */
const MAX_PART_LENGTH = 200;
const KEPT = /^[A-Za-z0-9.:-]$/;
/** Marks a hashed part. An escaped part never contains `_h`: escapes are `_XX` or `_uXXXX` in upper-case hex. */
const HASH_MARK = '_h';

function hex(n: number, width: number): string {
  return n.toString(16).toUpperCase().padStart(width, '0');
}

/**
 * A safe key part for any non-empty string. Escaping works on UTF-16 code units, so even lone
 * surrogates map to distinct parts. A part whose escaped form would be too long becomes `_h` +
 * SHA-256 of the value; rows keep the original value in a property.
 */
export function keyPart(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    const unit = value.charCodeAt(i);
    if (KEPT.test(ch)) out += ch;
    else if (unit < 0x80) out += `_${hex(unit, 2)}`;
    else out += `_u${hex(unit, 4)}`;
    if (out.length > MAX_PART_LENGTH) return hashedPart(value);
  }
  return out;
}

function hashedPart(value: string): string {
  return HASH_MARK + createHash('sha256').update(value, 'utf16le').digest('hex');
}

/** Whether `keyPart` hashed the value, so the row must be checked against the original. */
export function isHashedPart(part: string): boolean {
  return part.startsWith(HASH_MARK);
}

/** A composite key from already-safe parts. */
export function joinKey(...parts: readonly string[]): string {
  return parts.join(SEP);
}

// Dates may lie before 1970; the offset makes every valid Date non-negative and 17 digits wide.
const MS_OFFSET = 8_640_000_000_000_000n;

/** Epoch milliseconds as a fixed-width, order-preserving key part. */
export function msKey(ms: number): string {
  return (BigInt(ms) + MS_OFFSET).toString().padStart(17, '0');
}

/** Single quotes doubled, as OData string literals need; key parts never contain one. */
function literal(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A Double literal: Table Storage compares a Double property only with a Double literal. */
export function doubleLiteral(n: number): string {
  return Number.isInteger(n) ? `${n}.0` : String(n);
}

/** `PartitionKey eq pk` */
export function partitionFilter(pk: string): string {
  return `PartitionKey eq ${literal(pk)}`;
}

/** Rows of one partition with `from <= RowKey < to` (a range query, served from the index). */
export function rangeFilter(pk: string, from: string, to: string): string {
  return `${partitionFilter(pk)} and RowKey ge ${literal(from)} and RowKey lt ${literal(to)}`;
}

/** Rows of one partition with `from <= RowKey <= to`. */
export function betweenFilter(pk: string, from: string, to: string): string {
  return `${partitionFilter(pk)} and RowKey ge ${literal(from)} and RowKey le ${literal(to)}`;
}

/** Rows of one partition whose RowKey starts with `prefix` + {@link SEP}. */
export function prefixFilter(pk: string, prefix: string): string {
  return rangeFilter(pk, prefix + SEP, prefix + SEP + SEP);
}

/** A string property equal to `value`. */
export function eqFilter(property: string, value: string): string {
  return `${property} eq ${literal(value)}`;
}
