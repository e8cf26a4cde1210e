/**
 * Turns each vendor's configured sources into one matcher, with a per-source report. The rule that
 * shapes it: a vendor whose allowlist could not be read has no matcher at all, so callers report
 * its sign-ins as unknown, never as clean and never as "everything is outside". A source that
 * allows too much of the internet is refused the same way, alone (broad-sources.ts) or as the
 * broadest of sources that do together (vendor-total.ts).
 */
import type { RangeSource } from '../config/types.js';
import { CredwatchError, type ErrorCode } from '../errors.js';
import type { RangeProvenance } from '../events.js';
import type { GraphApi } from '../graph/client.js';
import type { Logger } from '../logging.js';
import type { StateStore } from '../state/types.js';
import type { AllowlistHttp } from './allowlist-http.js';
import { applyBreadth, breadthScreen, type AllowlistVendor, type BreadthScreen, type BroadSourceReport } from './broad-sources.js';
import type { ParsedCidr } from './cidr.js';
import { readFileSource, readInlineSource } from './local-sources.js';
import { listNamedLocations, rangesOfNamedLocation, type NamedLocationRanges } from './named-locations.js';
import type { AllowlistSourceStatus } from '../contract.js';
import { failed, type SourceOutcome } from './outcome.js';
import { RangeSet } from './range-set.js';
import { readUrlSource } from './url-source.js';
import { screenVendorTotal } from './vendor-total.js';

/** What resolving needs; `graph` only when a vendor uses named locations. */
export interface AllowlistDeps {
  graph?: GraphApi;
  /** How URL sources reach the network: `allowlistHttp()` with the tenant's trust anchors. */
  http: AllowlistHttp;
  cache: Pick<StateStore, 'getCache' | 'putCache'>;
  now: () => Date;
  logger: Logger;
}

/** Options for {@link resolveAllowlists}. */
export interface ResolveAllowlistsOptions {
  /** Cancels URL fetches in flight. */
  abortSignal?: AbortSignal;
}

/** One source's line in the report. */
export interface AllowlistSourceReport {
  vendor: string;
  /** `cidrs`, `file:<path>`, `url:<url>` or `namedLocation:<name>`, as in {@link RangeProvenance}. */
  source: string;
  status: AllowlistSourceStatus;
  /** Ranges in use from this source (0 when failed). */
  ranges: number;
  fetchedAt?: Date;
  /** Why it failed, or why an older copy is in use. */
  error?: string;
  errorCode?: ErrorCode;
  warnings: string[];
  /** Set when the source was refused as too broad, or used although broader than the defaults. */
  broad?: BroadSourceReport;
}

/**
 * How far a vendor's matcher can be trusted. `complete`: every source is current. `stale`: usable
 * but some source is older than its limit. `partial`: some sources failed, so "outside" means
 * outside what could be read. `unknown`: nothing could be read (no matcher). `unconfigured`: no
 * sources at all (no matcher; the caller may learn networks instead).
 */
export type AllowlistHealth = 'complete' | 'stale' | 'partial' | 'unknown' | 'unconfigured';

/** The outcome of {@link resolveAllowlists}. */
export interface AllowlistResolution {
  /** A matcher per vendor name, only for vendors with at least one usable source. */
  byVendor: Map<string, RangeSet>;
  /** Every configured vendor's health. */
  health: Map<string, AllowlistHealth>;
  sources: AllowlistSourceReport[];
}

/** The provenance label of a source. */
export function sourceLabel(source: RangeSource): string {
  switch (source.type) {
    case 'cidrs':
      return 'cidrs';
    case 'file':
      return `file:${source.path}`;
    case 'url':
      return `url:${source.url}`;
    case 'namedLocation':
      return `namedLocation:${source.displayName}`;
  }
}

function healthOf(outcomes: readonly SourceOutcome[]): AllowlistHealth {
  if (outcomes.length === 0) return 'unconfigured';
  const usable = outcomes.filter((o) => o.status !== 'failed');
  if (usable.length === 0) return 'unknown';
  if (usable.length < outcomes.length) return 'partial';
  return usable.some((o) => o.status === 'stale') ? 'stale' : 'complete';
}

/**
 * Reads every source of every vendor (concurrently; named locations in a single Graph read shared
 * by all vendors) and builds one {@link RangeSet} per vendor. Never throws for a source's failure:
 * it is in `sources` and in `health`.
 */
export async function resolveAllowlists(
  vendors: readonly AllowlistVendor[],
  deps: AllowlistDeps,
  options: ResolveAllowlistsOptions = {},
): Promise<AllowlistResolution> {
  const logger = deps.logger.child({ component: 'allowlists' });
  let namedLocations: Promise<NamedLocationRanges[]> | undefined;
  const readNamedLocations = (graph: GraphApi): Promise<NamedLocationRanges[]> => (namedLocations ??= listNamedLocations(graph));

  const read = async (source: RangeSource, vendor: string, screen: BreadthScreen): Promise<SourceOutcome> => {
    const context = { vendor, source: sourceLabel(source) };
    try {
      switch (source.type) {
        case 'cidrs':
          return readInlineSource(source.cidrs, context);
        case 'file':
          return await readFileSource(source.path, context);
        case 'url':
          // The screen goes in too: a refused list must not replace the last good cached copy.
          return await readUrlSource(source, {
            http: deps.http,
            cache: deps.cache,
            now: deps.now,
            screen,
            ...(options.abortSignal ? { abortSignal: options.abortSignal } : {}),
          });
        case 'namedLocation': {
          if (!deps.graph) {
            return failed(
              new CredwatchError('ALLOWLIST_SOURCE_FAILED', `Vendor "${vendor}": named locations need a Graph connection to the tenant, and none was given.`, {
                retryable: false,
              }),
            );
          }
          const fetchedAt = deps.now();
          return rangesOfNamedLocation(await readNamedLocations(deps.graph), source.displayName, fetchedAt);
        }
      }
    } catch (e: unknown) {
      return failed(e);
    }
  };

  const perVendor = await Promise.all(
    vendors.map(async (vendor) => {
      const screened = await Promise.all(
        vendor.allowedRanges.map(async (s, index) => {
          const screen = breadthScreen(vendor, index);
          return applyBreadth(await read(s, vendor.name, screen), screen);
        }),
      );
      // Then together: a broad list split over several sources is as broad as in one.
      return { vendor, outcomes: screenVendorTotal(vendor, screened) };
    }),
  );

  const resolution: AllowlistResolution = { byVendor: new Map(), health: new Map(), sources: [] };
  for (const { vendor, outcomes } of perVendor) {
    const entries: { range: ParsedCidr; provenance: RangeProvenance }[] = [];
    outcomes.forEach((outcome, index) => {
      const source = sourceLabel(vendor.allowedRanges[index] as RangeSource);
      const report: AllowlistSourceReport = { vendor: vendor.name, source, status: outcome.status, ranges: outcome.ranges.length, warnings: outcome.warnings };
      if (outcome.fetchedAt) report.fetchedAt = outcome.fetchedAt;
      if (outcome.error) {
        report.error = outcome.error.message;
        report.errorCode = outcome.error.code;
      }
      if (outcome.broad) report.broad = outcome.broad;
      resolution.sources.push(report);
      logOutcome(logger, report, outcome);
      for (const range of outcome.ranges) {
        entries.push({ range, provenance: { vendor: vendor.name, source, cidr: range.cidr, fetchedAt: outcome.fetchedAt, stale: outcome.status === 'stale' } });
      }
    });
    const health = healthOf(outcomes);
    resolution.health.set(vendor.name, health);
    if (entries.length > 0) resolution.byVendor.set(vendor.name, RangeSet.fromParsed(entries));
    if (health === 'unknown') logger.error({ vendor: vendor.name }, "no allowlist source could be read; this vendor's sign-ins are unknown until one can");
  }
  return resolution;
}

// Levels with fixed meanings: a failed source (nothing usable) is an error, an older copy in use
// or a normalised entry is a warning, the rest is debug.
function logOutcome(logger: Logger, report: AllowlistSourceReport, outcome: SourceOutcome): void {
  const fields = { vendor: report.vendor, source: report.source, status: report.status, ranges: report.ranges };
  if (outcome.status === 'failed') logger.error({ ...fields, err: outcome.error, warnings: report.warnings }, 'allowlist source failed');
  else if (outcome.error || report.warnings.length > 0)
    logger.warn({ ...fields, err: outcome.error, warnings: report.warnings }, 'allowlist source read with warnings');
  else logger.debug(fields, 'allowlist source read');
}
