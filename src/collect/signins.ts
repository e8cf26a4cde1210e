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

/** A Graph beta signIn → SignInEvent, or a reason it cannot be used. */
export function normalizeSignIn(row: Json): SignInEvent | { quarantined: string; id: string | undefined } {
  const id = str(row.id);
  const createdAt = date(row.createdDateTime);
  const appId = str(row.appId);
  if (!id || !createdAt || !appId) return { quarantined: 'missing id, createdDateTime or appId', id };
  const rawIp = str(row.ipAddress);
  const ipAddress = normalizeIp(rawIp);
  const location = isObject(row.location) ? row.location : {};
  const status = isObject(row.status) ? row.status : {};
  const errorCode = num(status.errorCode);
  return {
    id,
    createdAt,
    appId,
    appDisplayName: str(row.appDisplayName),
    servicePrincipalId: str(row.servicePrincipalId),
    ipAddress,
    rawIpAddress: ipAddress ? undefined : rawIp,
    countryOrRegion: str(location.countryOrRegion),
    city: str(location.city),
    asn: num(row.autonomousSystemNumber) || undefined,
    resourceId: str(row.resourceId),
    resourceDisplayName: str(row.resourceDisplayName),
    ...credentialTypeOf(row.clientCredentialType),
    credentialKeyId: str(row.servicePrincipalCredentialKeyId),
    credentialThumbprint: str(row.servicePrincipalCredentialThumbprint),
    federatedCredentialId: str(row.federatedCredentialId),
    outcome: outcomeOf(errorCode),
    errorCode,
    failureReason: str(status.failureReason),
    correlationId: str(row.correlationId),
  };
}

/** `certificate` or `clientAssertion` (a JWT signed with the app's certificate). */
export { isCertificateLike } from '../events.js';

/**
 * Service-principal sign-ins in [from, to], page by page (never the whole window in memory).
 * The event-type filter is required: without it Graph returns interactive sign-ins only.
 *
 * No `$select`: the List signIns page documents only `$top`, `$skiptoken` and `$filter`, and Graph
 * answers a `$select` with 400 (https://learn.microsoft.com/graph/api/signin-list?view=graph-rest-beta).
 * Whole records (several KB each) come back; `normalizeSignIn` keeps only what the rules read, and
 * each page is released before the next is fetched.
 */
export async function* readSignInPages(
  graph: GraphApi,
  from: Date,
  to: Date,
): AsyncGenerator<{ events: SignInEvent[]; quarantined: Array<{ id: string | undefined; reason: string }>; raw: number }> {
  const filter = `signInEventTypes/any(t: t eq 'servicePrincipal') and createdDateTime ge ${from.toISOString()} and createdDateTime le ${to.toISOString()}`;
  for await (const page of graph.listPages<Json>('/auditLogs/signIns', { version: 'beta', filter, top: SIGNIN_PAGE_SIZE })) {
    const events: SignInEvent[] = [];
    const quarantined: Array<{ id: string | undefined; reason: string }> = [];
    for (const row of page) {
      const event = normalizeSignIn(row);
      if ('quarantined' in event) quarantined.push({ id: event.id, reason: event.quarantined });
      else events.push(event);
    }
    yield { events, quarantined, raw: page.length };
  }
}
