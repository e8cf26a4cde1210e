import ipaddr from 'ipaddr.js';
import type { ClientCredentialType, SignInEvent } from '../events.js';
import type { GraphApi } from '../graph/client.js';
import { isObject, num, str, date, type Json } from './values.js';

/** Graph's maximum (and default) sign-in page size. */
export const SIGNIN_PAGE_SIZE = 1000;

const CREDENTIAL_TYPES: ReadonlySet<string> = new Set(['certificate', 'clientAssertion', 'clientSecret', 'federatedIdentityCredential', 'managedIdentity', 'none']);

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
  const type = str(row.clientCredentialType);
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
    // unknownFutureValue and anything newer are 'unknown', never silently 'none'.
    credentialType: type && CREDENTIAL_TYPES.has(type) ? (type as ClientCredentialType) : type ? 'unknown' : 'none',
    credentialKeyId: str(row.servicePrincipalCredentialKeyId),
    credentialThumbprint: str(row.servicePrincipalCredentialThumbprint),
    // No status at all is not a success we can vouch for; Graph always sends errorCode.
    success: errorCode === 0,
    errorCode,
    failureReason: str(status.failureReason),
    correlationId: str(row.correlationId),
  };
}

export function isCertificateLike(type: ClientCredentialType): boolean {
  return type === 'certificate' || type === 'clientAssertion';
}

/**
 * Service-principal sign-ins in [from, to], page by page (never the whole window in memory).
 * The event-type filter is required: without it Graph returns interactive sign-ins only.
 *
 * No `$select`: the List signIns page documents only `$top`, `$skiptoken` and `$filter`, and Graph
 * answers a `$select` with 400 (https://learn.microsoft.com/graph/api/signin-list?view=graph-rest-beta).
 * Whole records (several KB each) come back; `normalizeSignIn` keeps only what the rules read, and
 * each page is released before the next is fetched.
 */
export async function* readSignInPages(graph: GraphApi, from: Date, to: Date): AsyncGenerator<{ events: SignInEvent[]; quarantined: Array<{ id: string | undefined; reason: string }>; raw: number }> {
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
