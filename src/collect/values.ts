/**
 * Defensive readers for Graph JSON. Graph sends `""` where a value is absent, timestamps with 0–7
 * fractional digits and sometimes no zone, and enum values we have never seen; these helpers turn
 * all of that into `undefined` or a typed value instead of a crash or a wrong default.
 */

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A non-empty string, or undefined (`""` means absent in Graph's logs). */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

export function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function objects(value: unknown): Json[] {
  return arr(value).filter(isObject);
}

export function strings(value: unknown): string[] {
  return arr(value).flatMap((v) => (typeof v === 'string' && v !== '' ? [v] : []));
}

const ISO = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses an ISO-8601 timestamp with any number of fractional digits and an optional zone; a
 * timestamp without a zone is UTC (Graph's convention), never the host's local time.
 */
export function date(value: unknown): Date | undefined {
  const s = str(value)?.trim();
  if (!s) return undefined;
  const m = ISO.exec(s);
  if (!m) return undefined;
  const [, day, time, fraction = '', zone = 'Z'] = m;
  const millis = fraction.padEnd(3, '0').slice(0, 3);
  const withSeconds = time && time.length === 5 ? `${time}:00` : time;
  const d = new Date(`${day}T${withSeconds}.${millis}${zone.toUpperCase() === 'Z' ? 'Z' : zone}`);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** Base64 (as in `customKeyIdentifier`) to upper-case hex, or undefined when it is not base64. */
export function base64ToHex(value: unknown): string | undefined {
  const s = str(value);
  if (!s || !/^[A-Za-z0-9+/=_-]+$/.test(s)) return undefined;
  const hex = Buffer.from(s, 'base64').toString('hex').toUpperCase();
  return hex === '' ? undefined : hex;
}
