/**
 * Activity reports under their documented query rules (graph/documented-reports.ts): sign-ins and
 * directory audits. Sign-ins may be millions of lazily generated records, so a createdDateTime
 * window becomes an index range by binary search and a page scans only from its cursor; the cursor
 * (a raw index) travels in the skip token. Records are served whole: `$select` is refused here.
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

/** `/auditLogs/signIns`: newest first unless `$orderby=createdDateTime` (asc). */
export function signIns(context: GraphContext, call: GraphCall): SimResponse {
  const { signIns: all } = context.state;
  const rules = conform(call.version === 'beta' ? SIGN_INS_BETA : SIGN_INS_V1, call.query);
  const window = signInWindow(rules.comparisons, call);
  const ascending = rules.orderBy !== undefined && !rules.orderBy.descending;
  const lo = window.from === -Infinity ? 0 : lowerBound(all, window.from);
  const hi = window.to === Infinity ? all.count : lowerBound(all, window.to + 1);
  let cursor = call.query.skipToken === undefined ? (ascending ? lo : hi - 1) : context.skipTokens.open(call.query.skipToken);

  const value: object[] = [];
  while (value.length < rules.top && (ascending ? cursor < hi : cursor >= lo)) {
    const signIn = all.at(cursor);
    if (window.others.every((c) => satisfies(signIn, c))) value.push(forVersion(signIn, call.version));
    cursor += ascending ? 1 : -1;
  }
  const body: Record<string, unknown> = { '@odata.context': odataContext(context, call, 'auditLogs/signIns') };
  if (ascending ? cursor < hi : cursor >= lo) {
    body['@odata.nextLink'] = nextLink(context.baseUrl, call.request.url, context.skipTokens.seal(cursor));
  }
  body.value = value;
  return jsonResponse(200, body);
}

/** `/auditLogs/directoryAudits`: newest first unless `$orderby` says otherwise. */
export function directoryAudits(context: GraphContext, call: GraphCall): SimResponse {
  const newestFirst = [...context.state.scenario.directoryAudits].sort((a, b) => Date.parse(b.activityDateTime) - Date.parse(a.activityDateTime));
  return listOf(context, call, DIRECTORY_AUDITS, newestFirst, { entitySet: 'auditLogs/directoryAudits' });
}
