/**
 * Activity reports: sign-ins (beta for service principals) and directory audits. Sign-ins may be
 * millions of lazily generated records, so a time window becomes an index range by binary search
 * and a page scans only from its cursor; the cursor (a raw index) travels in the skip token.
 */
import { jsonResponse, type SimResponse } from '../http.js';
import { ODataError, nextLink, parseFilter, project, type Comparison } from '../odata.js';
import type { DirectoryAudit, LazySignIns, SignIn } from '../scenario.js';
import { odataContext, pageOf, type GraphCall, type GraphContext } from './context.js';

const SIGN_IN_PAGE = 1000;
/** Fields the v1.0 signIn type does not have (FACTS.md: beta-only). */
const BETA_ONLY: readonly (keyof SignIn)[] = [
  'clientCredentialType', 'servicePrincipalCredentialKeyId', 'servicePrincipalCredentialThumbprint',
  'federatedCredentialId', 'autonomousSystemNumber', 'uniqueTokenIdentifier', 'signInEventTypes',
  'servicePrincipalName', 'resourceTenantId', 'homeTenantId',
];
const SIGN_IN_EQ_FIELDS = ['appId', 'servicePrincipalId', 'ipAddress', 'appDisplayName', 'resourceId'] as const;

interface SignInWindow {
  from: number;
  to: number;
  eventType: string;
  equals: Comparison[];
}

function parseSignInFilter(filter: string | undefined, version: 'v1.0' | 'beta'): SignInWindow {
  const window: SignInWindow = { from: -Infinity, to: Infinity, eventType: 'interactiveUser', equals: [] };
  for (const c of filter ? parseFilter(filter) : []) {
    if (c.field === 'signInEventTypes' && c.op === 'any' && version === 'beta') window.eventType = c.value;
    else if (c.field === 'createdDateTime' && c.op !== 'any' && c.op !== 'eq' && c.op !== 'ne') {
      const t = Date.parse(c.value);
      if (Number.isNaN(t)) throw new ODataError('BadRequest', `Invalid filter clause: '${c.value}' is not a valid DateTimeOffset.`);
      if (c.op === 'ge') window.from = Math.max(window.from, t);
      if (c.op === 'gt') window.from = Math.max(window.from, t + 1);
      if (c.op === 'le') window.to = Math.min(window.to, t);
      if (c.op === 'lt') window.to = Math.min(window.to, t - 1);
    } else if (c.op === 'eq' && (SIGN_IN_EQ_FIELDS as readonly string[]).includes(c.field)) window.equals.push(c);
    else throw new ODataError('BadRequest', `Could not find a property named '${c.field}' on type 'microsoft.graph.signIn' or the filter is not supported.`);
  }
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

function matches(signIn: SignIn, window: SignInWindow): boolean {
  if (!signIn.signInEventTypes.includes(window.eventType)) return false;
  return window.equals.every((c) => String(signIn[c.field as keyof SignIn]) === c.value);
}

function forVersion(signIn: SignIn, version: 'v1.0' | 'beta'): object {
  if (version === 'beta') return signIn;
  const copy: Record<string, unknown> = { ...signIn };
  for (const field of BETA_ONLY) delete copy[field];
  return copy;
}

/** `/auditLogs/signIns`: newest first unless `$orderby=createdDateTime` (asc). */
export function signIns(context: GraphContext, call: GraphCall): SimResponse {
  const { signIns: all } = context.state;
  const window = parseSignInFilter(call.query.filter, call.version);
  const orderBy = call.query.orderBy?.trim().toLowerCase();
  if (orderBy !== undefined && !/^createddatetime( asc| desc)?$/.test(orderBy)) {
    throw new ODataError('BadRequest', `Order by is not supported on '${call.query.orderBy}'.`);
  }
  const ascending = orderBy === 'createddatetime' || orderBy === 'createddatetime asc';
  const lo = window.from === -Infinity ? 0 : lowerBound(all, window.from);
  const hi = window.to === Infinity ? all.count : lowerBound(all, window.to + 1);
  const top = Math.min(call.query.top ?? SIGN_IN_PAGE, SIGN_IN_PAGE);
  let cursor = call.query.skipToken === undefined ? (ascending ? lo : hi - 1) : context.skipTokens.open(call.query.skipToken);

  const value: object[] = [];
  while (value.length < top && (ascending ? cursor < hi : cursor >= lo)) {
    const signIn = all.at(cursor);
    if (matches(signIn, window)) value.push(project(forVersion(signIn, call.version), call.query.select));
    cursor += ascending ? 1 : -1;
  }
  const body: Record<string, unknown> = { '@odata.context': odataContext(context, call, 'auditLogs/signIns') };
  if (ascending ? cursor < hi : cursor >= lo) {
    body['@odata.nextLink'] = nextLink(context.baseUrl, call.request.url, context.skipTokens.seal(cursor));
  }
  body.value = value;
  return jsonResponse(200, body);
}

/** `/auditLogs/directoryAudits`: newest first, `activityDateTime` windows and a few `eq` filters. */
export function directoryAudits(context: GraphContext, call: GraphCall): SimResponse {
  let from = -Infinity;
  let to = Infinity;
  const equals: Comparison[] = [];
  for (const c of call.query.filter ? parseFilter(call.query.filter) : []) {
    const t = Date.parse(c.value);
    if (c.field === 'activityDateTime' && !Number.isNaN(t) && ['ge', 'gt', 'le', 'lt'].includes(c.op)) {
      if (c.op === 'ge') from = Math.max(from, t);
      if (c.op === 'gt') from = Math.max(from, t + 1);
      if (c.op === 'le') to = Math.min(to, t);
      if (c.op === 'lt') to = Math.min(to, t - 1);
    } else if (c.op === 'eq' && ['category', 'activityDisplayName', 'loggedByService', 'result', 'id'].includes(c.field)) {
      equals.push(c);
    } else throw new ODataError('BadRequest', `Invalid filter clause: property '${c.field}' is not supported.`);
  }
  const audits = context.state.scenario.directoryAudits
    .filter((a) => {
      const t = Date.parse(a.activityDateTime);
      return t >= from && t <= to && equals.every((c) => String(a[c.field as keyof DirectoryAudit]) === c.value);
    })
    .sort((a, b) => Date.parse(b.activityDateTime) - Date.parse(a.activityDateTime));
  return pageOf(context, call, audits, { entitySet: 'auditLogs/directoryAudits', defaultTop: 1000, maxTop: 1000 });
}
