/**
 * What this scan could not collect, as `collection-failing` rule inputs. This scan's sources and
 * the recorded scans have the same shape, so one reading of them gives both "failing now" and "how
 * many scans in a row, since when". History is read only when something failed, newest hours
 * first, and further back only while a failure reaches the start of what was read.
 */
import type { TenantConfig } from '../config/types.js';
import type { RecordedSource } from '../contract.js';
import { redactUrls } from '../report/health.js';
import { redact } from '../redact.js';
import { isTransientCode } from '../rules/collection-failing.js';
import type { CollectionHealth, CollectionSource } from '../rules/types.js';
import type { StateStore } from '../state/types.js';

/** How far back the run of failures is looked for; the last bound caps it (the alert says "since" the oldest failure read). */
const LOOKBACKS_IN_HOURS: readonly number[] = [6, 8 * 24];
const HOUR = 3_600_000;

/** The alert's app when credwatch signs in as a system-assigned managed identity (no client id configured). */
const MANAGED_IDENTITY_APP = 'credwatch';

interface Observation {
  failed: boolean;
  code: string;
  message: string;
}

/** One source's state in one scan, keyed `signIns`, `directoryAudits`, `inventory` or `allowlist:<vendor>`. */
type Observed = Map<string, Observation>;

/** credwatch's own identity in the tenant, for the alert's app. */
export function monitorOf(tenant: TenantConfig): CollectionHealth['monitor'] {
  const appId = tenant.auth.clientId ?? MANAGED_IDENTITY_APP;
  return { appId, displayName: 'credwatch (monitoring)' };
}

/**
 * The inputs for the sources that failed in this scan (`current`), each with its run of failures
 * from the scans recorded before `now`.
 */
export async function collectionHealth(
  store: Pick<StateStore, 'listScans'>,
  tenant: TenantConfig,
  vendors: readonly string[],
  current: readonly RecordedSource[],
  now: Date,
): Promise<CollectionHealth[]> {
  const failing = [...observe(current, vendors)].filter(([, o]) => o.failed);
  if (failing.length === 0) return [];
  let runs = new Map<string, { count: number; since: Date }>();
  for (const hours of LOOKBACKS_IN_HOURS) {
    const history = (await store.listScans(tenant.name, new Date(now.getTime() - hours * HOUR), now)).reverse();
    const observed = history.map((scan) => ({ at: scan.startedAt, sources: observe(scan.sources, vendors) }));
    let reachesStart = false;
    runs = new Map(
      failing.map(([key]) => {
        const run = { count: 1, since: now };
        let broken = false;
        for (const scan of observed) {
          const o = scan.sources.get(key);
          // A scan that did not record the source says nothing either way.
          if (!o) continue;
          if (!o.failed) {
            broken = true;
            break;
          }
          run.count += 1;
          run.since = scan.at;
        }
        if (!broken) reachesStart = true;
        return [key, run];
      }),
    );
    if (!reachesStart) break;
  }
  const monitor = monitorOf(tenant);
  return failing.map(([key, o]) => {
    const run = runs.get(key)!;
    const [source, vendor] = key.startsWith('allowlist:')
      ? (['allowlist', key.slice('allowlist:'.length)] as const)
      : ([key as CollectionSource, undefined] as const);
    return { source, vendor, code: o.code, message: o.message, failingSince: run.since, consecutiveFailures: run.count, monitor };
  });
}

/** Reads one scan's source list: the core sources as recorded, the inventory's parts as one, and each vendor whose every allowlist source failed. */
function observe(sources: readonly RecordedSource[], vendors: readonly string[]): Observed {
  const out: Observed = new Map();
  const inventory = sources.filter((s) => s.source === 'inventory' || s.source.startsWith('inventory:'));
  for (const name of ['signIns', 'directoryAudits'] as const) {
    const records = sources.filter((s) => s.source === name);
    if (records.length > 0) out.set(name, summarise(records));
  }
  if (inventory.length > 0) out.set('inventory', summarise(inventory));
  // Longest name first, so vendor "A" does not claim the sources of vendor "A:B".
  const byLength = [...vendors].sort((a, b) => b.length - a.length);
  const perVendor = new Map<string, RecordedSource[]>();
  for (const s of sources) {
    if (!s.source.startsWith('allowlist:')) continue;
    const vendor = byLength.find((v) => s.source.startsWith(`allowlist:${v}:`));
    if (vendor !== undefined) perVendor.set(vendor, [...(perVendor.get(vendor) ?? []), s]);
  }
  for (const [vendor, records] of perVendor) {
    // One readable source is enough for the vendor's sign-ins to be judged.
    const failed = records.every((r) => r.status === 'failed');
    out.set(`allowlist:${vendor}`, failed ? summarise(records) : { failed: false, code: '', message: '' });
  }
  return out;
}

/**
 * Codes that make a source that was read count as failing: it was read, but not enough of it.
 * A sign-in backlog that grows scan after scan ends in records lost to the log's retention; a
 * DATA_GAP is such a loss; WATERMARK_IN_FUTURE is a clock that ran ahead and made a scan skip time
 * (src/scan/clock.ts), which a person should look at even though the time is read again.
 */
const BLINDING_CODES: ReadonlySet<string> = new Set(['SIGNINS_BACKLOG_GROWING', 'DATA_GAP', 'WATERMARK_IN_FUTURE']);

/** Failed when any record failed; the code that needs a person wins over a transient one. */
function summarise(records: readonly RecordedSource[]): Observation {
  const failed = records.filter((r) => r.status === 'failed' || (r.errorCode !== undefined && BLINDING_CODES.has(r.errorCode)));
  if (failed.length === 0) return { failed: false, code: '', message: '' };
  const worst = [...failed].sort((a, b) => Number(isTransientCode(a.errorCode)) - Number(isTransientCode(b.errorCode)))[0]!;
  const parts =
    failed.length > 1
      ? ` (${failed.length} parts failed: ${failed
          .slice(0, 3)
          .map((r) => r.source)
          .join(', ')}${failed.length > 3 ? ', …' : ''})`
      : '';
  return { failed: true, code: worst.errorCode ?? 'INTERNAL', message: clean(`${worst.message ?? ''}${parts}`) };
}

/** Alerts leave the tenant: no tokens, keys or form secrets, and no URL query (a feed URL may carry a token). */
function clean(message: string): string {
  return redactUrls(redact(message)).replace(/\s+/g, ' ').trim().slice(0, 300);
}
