/**
 * Covered intervals in the Azure Table store: one row per tenant and stream in the Watermarks
 * table, next to the watermark (RowKey `<stream>~covered`), holding the list as JSON. A commit's
 * intervals are added by an etag-conditional read-union-write, so commits applied concurrently or
 * a journal replayed twice converge to the same list (src/state/coverage.ts).
 */
import type { TableClient } from '@azure/data-tables';
import { casRow } from './azure-table-cas.js';
import { getRow } from './azure-table-client.js';
import { joinKey, keyPart } from './azure-table-keys.js';
import { packText, unpackText } from './azure-table-pack.js';
import { clipIntervals, parseIntervals, stringifyIntervals, unionIntervals, type MsInterval } from './coverage.js';

function coverageKey(stream: string): string {
  return joinKey(keyPart(stream), 'covered');
}

function decode(row: Parameters<typeof unpackText>[0] | undefined, what: string): MsInterval[] {
  return row === undefined ? [] : parseIntervals(unpackText(row, 'c', what), what);
}

/** The stream's covered intervals as stored (empty when none). */
export async function readCoverage(client: TableClient, tenant: string, stream: string): Promise<MsInterval[]> {
  return decode(await getRow(client, keyPart(tenant), coverageKey(stream)), `coverage of ${tenant}/${stream}`);
}

/** Adds `added` to the stored intervals; a no-op when they are already covered. */
export async function addCoverage(client: TableClient, tenant: string, stream: string, added: readonly MsInterval[]): Promise<void> {
  await changeCoverage(client, tenant, stream, (stored) => unionIntervals(stored, added));
}

/** Forgets covered time from `toMs` on (StateStore.rewindStream); a no-op when none lies there. */
export async function clipCoverage(client: TableClient, tenant: string, stream: string, toMs: number): Promise<void> {
  await changeCoverage(client, tenant, stream, (stored) => clipIntervals(stored, toMs), { create: false });
}

/**
 * Rewrites the stream's row, etag-conditionally, with `change` of what is stored; nothing is
 * written when the list stays the same (or, without `create`, when there is no row).
 */
async function changeCoverage(
  client: TableClient,
  tenant: string,
  stream: string,
  change: (stored: MsInterval[]) => MsInterval[],
  options: { create: boolean } = { create: true },
): Promise<void> {
  const what = `coverage of ${tenant}/${stream}`;
  await casRow(
    client,
    keyPart(tenant),
    coverageKey(stream),
    (current) => {
      if (current === undefined && !options.create) return undefined;
      const stored = decode(current, what);
      const next = stringifyIntervals(change(stored));
      return next === stringifyIntervals(stored) ? undefined : packText('c', next, what);
    },
    what,
  );
}
