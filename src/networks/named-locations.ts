/**
 * Entra named locations as an allowlist source. Read once per resolution, for every vendor that
 * names one: the endpoint allows one request per second per tenant for all apps together, with no
 * Retry-After on 429 (https://learn.microsoft.com/graph/throttling-limits, docs/graph-calls.md), so one read per vendor would throttle credwatch and others.
 *
 * This file reads Graph's JSON itself, an exception to "only graph/ and collect/ know Graph's
 * JSON" kept to this one function; it can move to collect/ without changing the resolver.
 */
import { CredwatchError } from '../errors.js';
import type { GraphApi } from '../graph/client.js';
import { parseCidrList } from './cidr.js';
import { failed, listProblems, noRanges, type SourceOutcome } from './outcome.js';

/** A named location reduced to what an allowlist needs. */
export interface NamedLocationRanges {
  displayName: string;
  /** The `cidrAddress` of each IP range; undefined for locations without IP ranges (countries). */
  cidrs: string[] | undefined;
}

export const NAMED_LOCATIONS_PATH = '/identity/conditionalAccess/namedLocations';

/** Every named location of the tenant, in one paged read. */
export async function listNamedLocations(graph: GraphApi): Promise<NamedLocationRanges[]> {
  const locations: NamedLocationRanges[] = [];
  // Whole objects, as Microsoft's examples read them: ipRanges belongs to the derived type
  // ipNamedLocation, and a derived property can only be selected with a cast
  // (https://learn.microsoft.com/graph/api/conditionalaccessroot-list-namedlocations). Items of
  // other kinds (countryNamedLocation) come back without it.
  for await (const item of graph.list<unknown>(NAMED_LOCATIONS_PATH)) {
    if (item === null || typeof item !== 'object') continue;
    const { displayName, ipRanges } = item as { displayName?: unknown; ipRanges?: unknown };
    if (typeof displayName !== 'string') continue;
    const cidrs = Array.isArray(ipRanges)
      ? ipRanges.flatMap((r: unknown) => {
          const cidr = r !== null && typeof r === 'object' ? (r as { cidrAddress?: unknown }).cidrAddress : undefined;
          return typeof cidr === 'string' ? [cidr] : [];
        })
      : undefined;
    locations.push({ displayName, cidrs });
  }
  return locations;
}

/**
 * The ranges of the location called `displayName`. Matched exactly first; when nothing matches,
 * ignoring case (Entra's portal treats names case-insensitively), with a warning so the config can
 * be corrected. Several locations with the name are merged, with a warning.
 */
export function rangesOfNamedLocation(locations: readonly NamedLocationRanges[], displayName: string, fetchedAt: Date): SourceOutcome {
  const warnings: string[] = [];
  let found = locations.filter((l) => l.displayName === displayName);
  if (found.length === 0) {
    found = locations.filter((l) => l.displayName.toLowerCase() === displayName.toLowerCase());
    if (found.length > 0) warnings.push(`matched named location "${found[0]?.displayName ?? ''}" ignoring case; write the name as Entra shows it`);
  }
  if (found.length === 0) {
    return failed(new CredwatchError('ALLOWLIST_SOURCE_FAILED', `There is no named location called "${displayName}" in the tenant.`, { retryable: false }));
  }
  if (found.length > 1) warnings.push(`${found.length} named locations are called "${displayName}"; their ranges are combined`);
  const withRanges = found.filter((l) => l.cidrs !== undefined);
  if (withRanges.length === 0) {
    return failed(
      new CredwatchError('ALLOWLIST_SOURCE_FAILED', `The named location "${displayName}" lists countries, not IP ranges; it cannot be an allowlist.`, {
        retryable: false,
      }),
      warnings,
    );
  }
  // Entra validates ranges on save, so a bad entry is unexpected: drop it and say so, keep the rest.
  const parsed = parseCidrList(withRanges.flatMap((l) => l.cidrs ?? []).map((text) => ({ text })));
  warnings.push(...parsed.warnings, ...listProblems(parsed.problems).map((p) => `dropped ${p}`));
  if (parsed.ranges.length === 0) return failed(noRanges(`The named location "${displayName}"`, parsed.problems), warnings);
  return { status: 'ok', ranges: parsed.ranges, fetchedAt, warnings };
}
