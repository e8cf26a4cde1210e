/**
 * A vendor's published range list, fetched over HTTPS. Third-party data, so an odd line is dropped
 * with a warning instead of failing the list; but a list with no valid range at all is treated as
 * a failed fetch (an HTML error page served with 200 must not become an empty allowlist). The last
 * good body is cached and used when the vendor's server is down, and marked stale past its age.
 * A list the breadth screen refuses (broad-sources.ts) is not "good": it is never cached, so a
 * feed that starts serving 0.0.0.0/0 cannot replace the last sane copy, which is used instead and
 * marked stale at once — the list in use is no longer the one the vendor publishes. The fetch itself
 * is guarded (guarded-get.ts): a URL that leads to an internal address, an unexpected redirect or
 * an oversized or endless body fails like any other fetch, so the last good copy is used if any.
 */
import { DEFAULT_MAX_BODY_IN_BYTES } from '../config/url-limits.js';
import type { RangeSource } from '../config/types.js';
import { CredwatchError, toCredwatchError } from '../errors.js';
import type { StateStore } from '../state/types.js';
import type { AllowlistHttp } from './allowlist-http.js';
import type { BreadthScreen, BroadSourceReport } from './broad-sources.js';
import { parseCidrList, type ParsedCidr } from './cidr.js';
import { guardedGet, readCapped } from './guarded-get.js';
import { readJsonPath } from './json-path.js';
import { listEntries, listProblems, noRanges, type SourceOutcome } from './outcome.js';

/** A URL source as configured. */
export type UrlRangeSource = Extract<RangeSource, { type: 'url' }>;

/** What fetching needs. */
export interface UrlSourceDeps {
  http: AllowlistHttp;
  cache: Pick<StateStore, 'getCache' | 'putCache'>;
  now: () => Date;
  abortSignal?: AbortSignal;
  /** Judges how broad a list is; a refused list is treated as a failed fetch. */
  screen?: BreadthScreen;
}

const DAY_IN_MS = 86_400_000;

/** The state-store key of a URL's last good body. */
export function cacheKeyOf(url: string): string {
  return `allowlist:${url}`;
}

function parseBody(source: UrlRangeSource, body: string): { ranges: ParsedCidr[]; warnings: string[] } {
  let entries: { text: string; label?: string }[];
  const warnings: string[] = [];
  if (source.format === 'json') {
    let document: unknown;
    try {
      document = JSON.parse(body);
    } catch (e: unknown) {
      throw new CredwatchError('ALLOWLIST_SOURCE_FAILED', `${source.url} did not return JSON.`, { cause: e });
    }
    const { strings, skipped } = readJsonPath(document, source.jsonPath);
    if (skipped > 0) warnings.push(`${skipped} value(s) at ${source.jsonPath ?? 'the document root'} were missing or not strings`);
    entries = strings.map((text) => ({ text }));
  } else {
    entries = listEntries(body);
  }
  const parsed = parseCidrList(entries);
  if (parsed.ranges.length === 0) throw noRanges(`The response of ${source.url}`, parsed.problems);
  if (parsed.problems.length > 0) warnings.push(...listProblems(parsed.problems).map((p) => `dropped ${p}`));
  return { ranges: parsed.ranges, warnings: [...warnings, ...parsed.warnings] };
}

async function fetchBody(source: UrlRangeSource, deps: UrlSourceDeps): Promise<string> {
  // One limit for the whole fetch (lookups, redirects and body): a feed that trickles bytes forever
  // must end as surely as one that never answers.
  const timeout = AbortSignal.timeout(source.timeoutInMs);
  const signal = deps.abortSignal ? AbortSignal.any([deps.abortSignal, timeout]) : timeout;
  const policy = { allowRedirects: source.allowRedirects ?? false, allowPrivateNetwork: source.allowPrivateNetwork ?? false };
  let answered = false;
  try {
    const response = await guardedGet(source.url, {
      http: deps.http,
      policy,
      signal,
      accept: source.format === 'json' ? 'application/json' : 'text/plain, */*',
    });
    answered = true;
    if (!response.ok) {
      await response.body?.cancel();
      throw new CredwatchError('ALLOWLIST_SOURCE_FAILED', `${source.url} answered HTTP ${response.status}.`);
    }
    return await readCapped(response, source.url, source.maxBodyInBytes ?? DEFAULT_MAX_BODY_IN_BYTES);
  } catch (e: unknown) {
    if (timeout.aborted) {
      const what = answered ? 'did not send its whole response' : 'did not answer';
      throw new CredwatchError('ALLOWLIST_SOURCE_FAILED', `${source.url} ${what} within ${source.timeoutInMs} ms.`, { cause: e });
    }
    if (e instanceof CredwatchError) throw e;
    const reason = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
    throw new CredwatchError('ALLOWLIST_SOURCE_FAILED', `Could not fetch ${source.url}: ${reason}.`, { cause: e });
  }
}

/** Fetches, parses and caches one URL source, falling back to the last good copy. */
export async function readUrlSource(source: UrlRangeSource, deps: UrlSourceDeps): Promise<SourceOutcome> {
  const key = cacheKeyOf(source.url);
  const fetchedAt = deps.now();
  let fetchError: CredwatchError;
  let refused: BroadSourceReport | undefined;
  try {
    const body = await fetchBody(source, deps);
    const { ranges, warnings } = parseBody(source, body);
    const decision = deps.screen?.(ranges);
    if (decision?.kind === 'refused') {
      fetchError = decision.error;
      refused = decision.report;
    } else {
      try {
        await deps.cache.putCache(key, { body, fetchedAt });
      } catch (e: unknown) {
        warnings.push(`could not cache the list: ${toCredwatchError(e).message}`);
      }
      return { status: 'ok', ranges, fetchedAt, warnings };
    }
  } catch (e: unknown) {
    fetchError = toCredwatchError(e);
  }
  let cached: Awaited<ReturnType<UrlSourceDeps['cache']['getCache']>>;
  try {
    cached = await deps.cache.getCache(key);
  } catch {
    cached = undefined; // an unreadable cache is the same as none: the fetch error says what went wrong
  }
  const withRefusal = (outcome: SourceOutcome): SourceOutcome => (refused ? { ...outcome, broad: refused } : outcome);
  if (!cached) return withRefusal({ status: 'failed', ranges: [], error: fetchError, warnings: [] });
  try {
    const { ranges, warnings } = parseBody(source, cached.body);
    const copy = `the copy fetched at ${cached.fetchedAt.toISOString()}`;
    const cachedDecision = deps.screen?.(ranges);
    // Cached before the limits existed, or under another vendor's acceptance: refused all the same.
    if (cachedDecision?.kind === 'refused') {
      if (refused) return withRefusal({ status: 'failed', ranges: [], error: fetchError, warnings: [`${copy} is refused too`] });
      return {
        status: 'failed',
        ranges: [],
        error: cachedDecision.error,
        broad: cachedDecision.report,
        warnings: [`fetch failed (${fetchError.message}); ${copy} is refused`],
      };
    }
    const ageInMs = fetchedAt.getTime() - cached.fetchedAt.getTime();
    const old = ageInMs > source.staleAfterInDays * DAY_IN_MS;
    const why = refused ? 'the list now served is refused as too broad' : 'fetch failed';
    warnings.unshift(`${why}; using ${copy}${old ? `, older than ${source.staleAfterInDays} day(s)` : ''}`);
    return withRefusal({ status: old || refused ? 'stale' : 'ok', ranges, fetchedAt: cached.fetchedAt, error: fetchError, warnings });
  } catch {
    return withRefusal({ status: 'failed', ranges: [], error: fetchError, warnings: ['the cached copy could not be read either'] });
  }
}
