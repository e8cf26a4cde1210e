/**
 * Activity reports under their documented query rules (graph/documented-reports.ts): sign-ins and
 * directory audits. Sign-ins may be millions of lazily generated records, so a createdDateTime
 * window becomes an index range by binary search and a page scans only from its cursor; the cursor
 * (a raw index) travels in the skip token. Records are served whole: `$select` is refused here.
 * Benchmarks can keep built sign-in pages ({@link cacheSignInPages}) so that serving one costs
 * little more than writing it.
 */
import { jsonResponse, type SimResponse } from '../http.js';
import { nextLink, type Comparison } from '../odata.js';
import type { LazySignIns, SignIn } from '../scenario.js';
import { conform, invalidFilter } from './conformance.js';
import { listOf, odataContext, type GraphCall, type GraphContext } from './context.js';
import { DIRECTORY_AUDITS, SIGN_INS_BETA, SIGN_INS_V1, SIGN_IN_BETA_ONLY } from './documented-reports.js';
import { satisfies } from './filtering.js';

interface SignInWindow {
  from: number;
  to: number;
  /** Every other comparison, checked record by record. */
  others: Comparison[];
}

/** Splits createdDateTime bounds (eq, ge, le: what the resource page documents) from the rest. */
function signInWindow(comparisons: readonly Comparison[], call: GraphCall): SignInWindow {
  const window: SignInWindow = { from: -Infinity, to: Infinity, others: [] };
  for (const c of comparisons) {
    if (c.field !== 'createdDateTime') {
      window.others.push(c);
      continue;
    }
    const t = Date.parse(c.value);
    if (Number.isNaN(t)) throw invalidFilter(call.version === 'beta' ? SIGN_INS_BETA : SIGN_INS_V1, c.field);
    if (c.op === 'ge' || c.op === 'eq') window.from = Math.max(window.from, t);
    if (c.op === 'le' || c.op === 'eq') window.to = Math.min(window.to, t);
  }
  // Without an event-type filter the API returns interactive user sign-ins only (resources/signin note).
  if (!window.others.some((c) => c.field === 'signInEventTypes')) window.others.push({ field: 'signInEventTypes', op: 'any', value: 'interactiveUser' });
  return window;
}

/** First index whose time is >= t (ascending sequence). */
function lowerBound(signIns: LazySignIns, t: number): number {
  let lo = 0;
  let hi = signIns.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (Date.parse(signIns.at(mid).createdDateTime) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function forVersion(signIn: SignIn, version: 'v1.0' | 'beta'): object {
  if (version === 'beta') return signIn;
  const copy: Record<string, unknown> = { ...signIn };
  for (const field of SIGN_IN_BETA_ONLY) delete copy[field];
  return copy;
}

/** Where a page starts (`cursor`) inside the window's index range `[lo, hi)`, and its size. */
interface PageRange {
  lo: number;
  hi: number;
  cursor: number;
  top: number;
  ascending: boolean;
}

/** One page's records as JSON (the `value` array), and the cursor after it. */
interface BuiltPage {
  json: string;
  cursor: number;
}

/** Pages kept for one sign-in sequence, oldest first, with their total size. */
interface PageCache {
  pages: Map<string, BuiltPage>;
  characters: number;
}

let cacheLimit = 0;
// Per sequence object: `addSignIns` swaps in a new sequence, so pages of the old one are never served.
const caches = new WeakMap<LazySignIns, PageCache>();

/**
 * Keeps up to `maxCharacters` of built sign-in pages (0, the default, keeps none), dropping the
 * oldest first. A page is the same text every time it is asked for — the records are a pure
 * function of their index — so the second read of a window (the scan bench's fetch-and-parse
 * floor after the scan, or a warm-up before it) costs the simulator a copy instead of generating
 * and serializing ~3 KB per record, and the floor measures the client rather than this server.
 * Only the `value` array is kept: the context and the nextLink (whose skip token is sealed per
 * simulator, with its own time) are written fresh for every response. For scenarios whose
 * records are not changed after the simulator starts: benchmarks, not tests that edit records.
 */
export function cacheSignInPages(maxCharacters: number): void {
  cacheLimit = Math.max(0, maxCharacters);
}

function buildPage(all: LazySignIns, window: SignInWindow, version: GraphCall['version'], range: PageRange): BuiltPage {
  const value: object[] = [];
  let cursor = range.cursor;
  while (value.length < range.top && (range.ascending ? cursor < range.hi : cursor >= range.lo)) {
    const signIn = all.at(cursor);
    if (window.others.every((c) => satisfies(signIn, c))) value.push(forVersion(signIn, version));
    cursor += range.ascending ? 1 : -1;
  }
  return { json: JSON.stringify(value), cursor };
}

/**
 * The page, from the cache when kept. Keyed by index range rather than by the window's times, so
 * windows a few milliseconds apart that select the same records share their pages.
 */
function pageAt(all: LazySignIns, window: SignInWindow, version: GraphCall['version'], range: PageRange): BuiltPage {
  if (cacheLimit === 0) return buildPage(all, window, version, range);
  const key = `${version}|${range.ascending}|${range.top}|${range.lo}|${range.hi}|${range.cursor}|${JSON.stringify(window.others)}`;
  let cache = caches.get(all);
  if (!cache) {
    cache = { pages: new Map(), characters: 0 };
    caches.set(all, cache);
  }
  const kept = cache.pages.get(key);
  if (kept) return kept;
  const page = buildPage(all, window, version, range);
  cache.pages.set(key, page);
  cache.characters += page.json.length;
  for (const [oldKey, old] of cache.pages) {
    if (cache.characters <= cacheLimit) break;
    cache.pages.delete(oldKey);
    cache.characters -= old.json.length;
  }
  return page;
}

/** `/auditLogs/signIns`: newest first unless `$orderby=createdDateTime` (asc). */
export function signIns(context: GraphContext, call: GraphCall): SimResponse {
  const { signIns: all } = context.state;
  const rules = conform(call.version === 'beta' ? SIGN_INS_BETA : SIGN_INS_V1, call.query);
  const window = signInWindow(rules.comparisons, call);
  const ascending = rules.orderBy !== undefined && !rules.orderBy.descending;
  const lo = window.from === -Infinity ? 0 : lowerBound(all, window.from);
  const hi = window.to === Infinity ? all.count : lowerBound(all, window.to + 1);
  const cursor = call.query.skipToken === undefined ? (ascending ? lo : hi - 1) : context.skipTokens.open(call.query.skipToken);
  const page = pageAt(all, window, call.version, { lo, hi, cursor, top: rules.top, ascending });

  const head: Record<string, unknown> = { '@odata.context': odataContext(context, call, 'auditLogs/signIns') };
  if (ascending ? page.cursor < hi : page.cursor >= lo) {
    head['@odata.nextLink'] = nextLink(context.baseUrl, call.request.url, context.skipTokens.seal(page.cursor));
  }
  // The same text as serializing `{ ...head, value }` at once (value last), without re-serializing kept records.
  const response = jsonResponse(200, head);
  return { ...response, body: `${response.body.slice(0, -1)},"value":${page.json}}` };
}

/** `/auditLogs/directoryAudits`: newest first unless `$orderby` says otherwise. */
export function directoryAudits(context: GraphContext, call: GraphCall): SimResponse {
  const newestFirst = [...context.state.scenario.directoryAudits].sort((a, b) => Date.parse(b.activityDateTime) - Date.parse(a.activityDateTime));
  return listOf(context, call, DIRECTORY_AUDITS, newestFirst, { entitySet: 'auditLogs/directoryAudits' });
}
