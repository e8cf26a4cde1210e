/**
 * An alert's blast radius as stored inside the alert's JSON body (docs/blast-radius.md): dates as
 * epoch milliseconds, absent values as `null`, like the rest of the body (codec-alerts.ts). Alerts
 * written before it existed have no key and read back without one.
 */
import type { AlertBlastRadius, BlastRadius } from '../events.js';
import { fromMs, fromOptionalMs, invalidInput, requireCount, toMs, toOptionalMs } from './validate.js';

type RadiusJson = Omit<BlastRadius, 'from' | 'to' | 'firstAccess' | 'lastAccess'> & {
  fromMs: number;
  toMs: number;
  firstAccessMs: number | null;
  lastAccessMs: number | null;
};

/** The stored form of {@link AlertBlastRadius}. */
export type BlastRadiusJson = { ips: string[]; fromMs: number; toMs: number; intentId: string | null; atMs: number } & (
  { status: 'pending' } | { status: 'known'; radius: RadiusJson } | { status: 'unknown'; code: string; reason: string }
);

function encodeRadius(r: BlastRadius): RadiusJson {
  const { from, to, firstAccess, lastAccess, ...rest } = r;
  return {
    ...rest,
    records: requireCount(r.records, 'alert.blastRadius.radius.records'),
    mailboxes: {
      count: requireCount(r.mailboxes.count, 'alert.blastRadius.radius.mailboxes.count'),
      list: [...r.mailboxes.list],
      truncated: r.mailboxes.truncated,
    },
    ips: [...r.ips],
    throttledMailboxes: [...r.throttledMailboxes],
    perIp: r.perIp.map((p) => ({ ...p })),
    fromMs: toMs(from, 'alert.blastRadius.radius.from'),
    toMs: toMs(to, 'alert.blastRadius.radius.to'),
    firstAccessMs: toOptionalMs(firstAccess, 'alert.blastRadius.radius.firstAccess'),
    lastAccessMs: toOptionalMs(lastAccess, 'alert.blastRadius.radius.lastAccess'),
  };
}

function decodeRadius(j: RadiusJson): BlastRadius {
  const { fromMs: f, toMs: t, firstAccessMs, lastAccessMs, ...rest } = j;
  return {
    ...rest,
    mailboxes: { ...j.mailboxes, list: [...j.mailboxes.list] },
    perIp: j.perIp.map((p) => ({ ...p })),
    from: fromMs(f),
    to: fromMs(t),
    firstAccess: fromOptionalMs(firstAccessMs),
    lastAccess: fromOptionalMs(lastAccessMs),
  };
}

/** Validates and encodes; null for an alert without a blast radius. */
export function encodeBlastRadius(b: AlertBlastRadius | undefined): BlastRadiusJson | null {
  if (b === undefined) return null;
  if (!Array.isArray(b.ips) || !b.ips.every((ip) => typeof ip === 'string'))
    throw invalidInput('alert.blastRadius.ips must be strings', { field: 'alert.blastRadius.ips' });
  const base = {
    ips: [...b.ips],
    fromMs: toMs(b.from, 'alert.blastRadius.from'),
    toMs: toMs(b.to, 'alert.blastRadius.to'),
    intentId: b.intentId ?? null,
    atMs: toMs(b.at, 'alert.blastRadius.at'),
  };
  switch (b.status) {
    case 'pending':
      return { ...base, status: 'pending' };
    case 'known':
      return { ...base, status: 'known', radius: encodeRadius(b.radius) };
    case 'unknown':
      if (typeof b.code !== 'string' || b.code === '')
        throw invalidInput('alert.blastRadius.code must name an error code', { field: 'alert.blastRadius.code' });
      return { ...base, status: 'unknown', code: b.code, reason: String(b.reason) };
    default:
      throw invalidInput('alert.blastRadius.status must be pending, known or unknown', { field: 'alert.blastRadius.status' });
  }
}

/** A new AlertBlastRadius from its stored form; undefined for none. */
export function decodeBlastRadius(j: BlastRadiusJson | null | undefined): AlertBlastRadius | undefined {
  if (j === null || j === undefined) return undefined;
  const base = { ips: [...j.ips], from: fromMs(j.fromMs), to: fromMs(j.toMs), intentId: j.intentId ?? undefined, at: fromMs(j.atMs) };
  if (j.status === 'known') return { ...base, status: 'known', radius: decodeRadius(j.radius) };
  if (j.status === 'unknown') return { ...base, status: 'unknown', code: j.code, reason: j.reason };
  return { ...base, status: 'pending' };
}
