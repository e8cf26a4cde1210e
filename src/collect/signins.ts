import ipaddr from 'ipaddr.js';
import type { ClientCredentialType, DocumentedCredentialType, SignInEvent, SignInOutcome } from '../events.js';
import type { GraphApi } from '../graph/client.js';
import { isObject, num, str, date, type Json } from './values.js';

/** Graph's maximum (and default) sign-in page size. */
export const SIGNIN_PAGE_SIZE = 1000;

/** The `clientCredentialType` members the beta signIn page lists (https://learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta). */
const DOCUMENTED_CREDENTIAL_TYPES: ReadonlySet<string> = new Set<DocumentedCredentialType>([
  'none',
  'clientSecret',
  'clientAssertion',
  'federatedIdentityCredential',
  'managedIdentity',
  'certificate',
  'unknownFutureValue',
]);

/** Parses an IP; IPv4-mapped IPv6 becomes IPv4 so it groups and matches with its IPv4 range. */
export function normalizeIp(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (!ipaddr.isValid(trimmed)) return undefined;
  try {
    return ipaddr.process(trimmed).toString();
  } catch {
    return undefined;
  }
}

/**
 * The logged credential type, and the raw text when it is not a documented value. Absent or `""`
 * is `notRecorded`, never `none`: `none` is a value Microsoft logs, and the rules must be able to
 * say which of the two they saw.
 */
export function credentialTypeOf(value: unknown): { credentialType: ClientCredentialType; rawCredentialType: string | undefined } {
  const text = str(value)?.trim();
  if (text === undefined) return { credentialType: 'notRecorded', rawCredentialType: undefined };
  if (DOCUMENTED_CREDENTIAL_TYPES.has(text)) return { credentialType: text as DocumentedCredentialType, rawCredentialType: undefined };
  return { credentialType: 'unrecognized', rawCredentialType: text.slice(0, 100) };
}

/**
 * `status.errorCode` 0 is a success and any other number a failure (the signInStatus resource:
 * https://learn.microsoft.com/graph/api/resources/signinstatus?view=graph-rest-beta). No status, or
 * one without a numeric code — Microsoft's own List signIns example publishes `"status": {}` for a
 * successful password sign-in — is `unknown`: counting it as either would be a guess.
 */
export function outcomeOf(errorCode: number | undefined): SignInOutcome {
  if (errorCode === undefined) return 'unknown';
  return errorCode === 0 ? 'success' : 'failure';
}

/** Values kept at most by {@link SharedSignInValues} before it starts again. */
const MAX_SHARED_VALUES = 20_000;

/**
 * Values that many sign-ins of one read repeat — the app, its service principal, the resource, the
 * credential, the address — held once and shared by their events, and each distinct IP address
 * normalized once. A page's events live while they are judged and committed and while the next
 * page is read, often long enough for V8 to move them to the old generation, where garbage waits for
 * a full collection: a copy of each GUID and name per event was most of what they took there. The
 * sign-in's own id and correlation id are unique and not shared. Bounded: it starts again when full.
 */
export class SharedSignInValues {
  private readonly values = new Map<string, string>();
  private readonly ips = new Map<string, string | undefined>();

  /** `str(value)`, as the copy already held when the same text was seen before. */
  readonly string = (value: unknown): string | undefined => {
    const text = str(value);
    if (text === undefined) return undefined;
    const held = this.values.get(text);
    if (held !== undefined) return held;
    if (this.values.size >= MAX_SHARED_VALUES) this.values.clear();
    this.values.set(text, text);
    return text;
  };

  /** `normalizeIp(raw)`, computed once per distinct raw address. */
  readonly ip = (raw: string | undefined): string | undefined => {
    if (raw === undefined) return undefined;
    if (this.ips.has(raw)) return this.ips.get(raw);
    const ip = normalizeIp(raw);
    if (this.ips.size >= MAX_SHARED_VALUES) this.ips.clear();
    this.ips.set(raw, ip);
    return ip;
  };
}

/**
 * How Graph writes a sign-in's createdDateTime (`2026-11-25T10:00:00Z`, sometimes with milliseconds):
 * ECMAScript's own date-time string format, which Date parses without `date`'s regular-expression
 * match and rebuilt string for each of a million records.
 */
const PLAIN_UTC = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{3})?Z$/;

function createdAtOf(value: unknown): Date | undefined {
  if (typeof value === 'string' && PLAIN_UTC.test(value)) {
    const parsed = new Date(value);
    if (!Number.isNaN(parsed.getTime())) return parsed;
  }
  return date(value);
}

/** A Graph beta signIn → SignInEvent, or a reason it cannot be used. */
export function normalizeSignIn(row: Json): SignInEvent | { quarantined: string; id: string | undefined } {
  return normalizeWith(row, str, normalizeIp);
}

/** {@link normalizeSignIn}, with the repeated values taken from `shared`. */
export function normalizeSignInSharing(row: Json, shared: SharedSignInValues): SignInEvent | { quarantined: string; id: string | undefined } {
  return normalizeWith(row, shared.string, shared.ip);
}

function normalizeWith(
  row: Json,
  text: (value: unknown) => string | undefined,
  ipOf: (raw: string | undefined) => string | undefined,
): SignInEvent | { quarantined: string; id: string | undefined } {
  const id = str(row.id);
  const createdAt = createdAtOf(row.createdDateTime);
  const appId = text(row.appId);
  if (!id || !createdAt || !appId) return { quarantined: 'missing id, createdDateTime or appId', id };
  const rawIp = text(row.ipAddress);
  const ipAddress = ipOf(rawIp);
  const location = isObject(row.location) ? row.location : {};
  const status = isObject(row.status) ? row.status : {};
  const errorCode = num(status.errorCode);
  const credential = credentialTypeOf(row.clientCredentialType);
  // A short-lived literal copied into a plain object made by `new` (see PlainSignInEvent); no
  // spread in it, which would give each event a separate property array.
  return new PlainSignInEvent({
    id,
    createdAt,
    appId,
    appDisplayName: text(row.appDisplayName),
    servicePrincipalId: text(row.servicePrincipalId),
    ipAddress,
    rawIpAddress: ipAddress ? undefined : rawIp,
    countryOrRegion: text(location.countryOrRegion),
    city: text(location.city),
    asn: num(row.autonomousSystemNumber) || undefined,
    resourceId: text(row.resourceId),
    resourceDisplayName: text(row.resourceDisplayName),
    credentialType: credential.credentialType,
    rawCredentialType: credential.rawCredentialType,
    credentialKeyId: text(row.servicePrincipalCredentialKeyId),
    credentialThumbprint: text(row.servicePrincipalCredentialThumbprint),
    federatedCredentialId: text(row.federatedCredentialId),
    outcome: outcomeOf(errorCode),
    errorCode,
    failureReason: text(status.failureReason),
    correlationId: str(row.correlationId),
  });
}

/**
 * Each event is made by `new` rather than kept as an object literal. V8 records every literal's
 * allocation site and, when most objects of a site outlive a young-generation collection, switches
 * the site to allocate in the old generation from then on ("pretenuring"). Sign-in events do
 * outlive one — the scan stage keeps a page while the next one is read — so every later event went
 * straight to the old generation and, pointing into the young one, kept its strings and Date alive
 * through young collections too: garbage that only a full collection frees, and the bulk of what a
 * long scan's old generation grew by (npm run bench scan; bench/scan.ts). An object made by `new`
 * has no allocation site. Its prototype is Object.prototype: an event is the plain object it was.
 */
const PlainSignInEvent = function PlainSignInEvent(this: SignInEvent, e: SignInEvent): void {
  this.id = e.id;
  this.createdAt = e.createdAt;
  this.appId = e.appId;
  this.appDisplayName = e.appDisplayName;
  this.servicePrincipalId = e.servicePrincipalId;
  this.ipAddress = e.ipAddress;
  this.rawIpAddress = e.rawIpAddress;
  this.countryOrRegion = e.countryOrRegion;
  this.city = e.city;
  this.asn = e.asn;
  this.resourceId = e.resourceId;
  this.resourceDisplayName = e.resourceDisplayName;
  this.credentialType = e.credentialType;
  this.rawCredentialType = e.rawCredentialType;
  this.credentialKeyId = e.credentialKeyId;
  this.credentialThumbprint = e.credentialThumbprint;
  this.federatedCredentialId = e.federatedCredentialId;
  this.outcome = e.outcome;
  this.errorCode = e.errorCode;
  this.failureReason = e.failureReason;
  this.correlationId = e.correlationId;
} as unknown as new (e: SignInEvent) => SignInEvent;
PlainSignInEvent.prototype = Object.prototype;

/** `certificate` or `clientAssertion` (a JWT signed with the app's certificate). */
export { isCertificateLike } from '../events.js';

/** A record as `readSignInPages` keeps it: the normalized event, or why it cannot be used. */
type NormalizedRow = SignInEvent | { quarantined: string; id: string | undefined };

/**
 * Service-principal sign-ins in [from, to], page by page (never the whole window in memory).
 * The event-type filter is required: without it Graph returns interactive sign-ins only.
 *
 * No `$select`: the List signIns page documents only `$top`, `$skiptoken` and `$filter`, and Graph
 * answers a `$select` with 400 (https://learn.microsoft.com/graph/api/signin-list?view=graph-rest-beta).
 * Whole records (about 3 KB of JSON each, 1,000 to a page) come back, and `normalizeSignIn` keeps
 * only what the rules read. So the client hands each record to the normalizer the moment it has
 * streamed in (`listPages` with a mapper): a raw record lives only while it is normalized and dies
 * young, and a page exists only as its events. The next page is requested while the caller judges
 * this one and read when the caller asks for it (src/graph/client.ts).
 */
export async function* readSignInPages(graph: GraphApi, from: Date, to: Date): AsyncGenerator<SignInPage> {
  const filter = `signInEventTypes/any(t: t eq 'servicePrincipal') and createdDateTime ge ${from.toISOString()} and createdDateTime le ${to.toISOString()}`;
  const shared = new SharedSignInValues();
  // An element that is not an object (never seen from Graph) is quarantined rather than thrown on.
  const normalize = (row: unknown): NormalizedRow =>
    isObject(row) ? normalizeSignInSharing(row, shared) : { quarantined: 'not a JSON object', id: undefined };
  const pages = graph.listPages<unknown, NormalizedRow>('/auditLogs/signIns', { version: 'beta', filter, top: SIGNIN_PAGE_SIZE }, normalize);
  // Pages pass through `nextPage` and one variable emptied once the caller is done with its page: a
  // suspended generator keeps whatever its registers last held, so a page held in a loop variable
  // would live on while the next one is read.
  let page: SignInPage | undefined;
  try {
    for (;;) {
      page = await nextPage(pages);
      if (!page) return;
      yield page;
      page = undefined;
    }
  } finally {
    // A caller that stops early stops the client's paging too (and its prefetch).
    await pages.return(undefined);
  }
}

/** What `readSignInPages` yields for each page. */
export interface SignInPage {
  events: SignInEvent[];
  quarantined: Array<{ id: string | undefined; reason: string }>;
  /** Records the page held. */
  raw: number;
}

async function nextPage(pages: AsyncGenerator<NormalizedRow[], void, undefined>): Promise<SignInPage | undefined> {
  const next = await pages.next();
  if (next.done) return undefined;
  const events: SignInEvent[] = [];
  const quarantined: Array<{ id: string | undefined; reason: string }> = [];
  for (const row of next.value) {
    if ('quarantined' in row) quarantined.push({ id: row.id, reason: row.quarantined });
    else events.push(row);
  }
  return { events, quarantined, raw: next.value.length };
}
