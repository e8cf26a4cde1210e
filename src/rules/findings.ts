/**
 * Finding builders, so every rule fills every field the same way (alerts group and deduplicate on
 * ruleId, app, credential and network; a field filled differently by one rule splits its alerts).
 */
import type { Finding, InventoryApp, RangeProvenance, Severity, SignInEvent } from '../events.js';
import { appName } from './facts.js';
import type { RuleContext } from './types.js';

export type Details = Finding['details'];

/**
 * A finding about one sign-in: network, location, resource and outcome come from the event. An
 * unknown outcome leaves `success` undefined (the alert counts it as neither a success nor a
 * failure) and every sign-in finding's details say `outcome` in words.
 */
export function signInFinding(
  ruleId: string,
  severity: Severity,
  event: SignInEvent,
  app: InventoryApp | undefined,
  context: RuleContext,
  facts: { summary: string; details: Details; credentialKeyId?: string | undefined; allowlist?: readonly RangeProvenance[]; eventIds?: string[] },
): Finding {
  return {
    ruleId,
    severity,
    tenant: context.tenant,
    appId: event.appId,
    appDisplayName: appName(app, event),
    credentialKeyId: facts.credentialKeyId ?? (event.credentialKeyId || undefined),
    network: context.networkKey(event.ipAddress, event.asn),
    occurredAt: event.createdAt,
    eventIds: facts.eventIds ?? [event.id],
    summary: facts.summary,
    ip: event.ipAddress,
    country: event.countryOrRegion,
    asn: event.asn,
    resource: event.resourceDisplayName ?? event.resourceId,
    success: event.outcome === 'unknown' ? undefined : event.outcome === 'success',
    allowlist: facts.allowlist ? [...facts.allowlist] : [],
    details: { ...facts.details, outcome: event.outcome },
  };
}

/** A finding about an app or a credential (audits, inventory diffs, posture): no network facts. */
export function appFinding(
  ruleId: string,
  severity: Severity,
  context: RuleContext,
  facts: {
    appId: string;
    appDisplayName: string;
    credentialKeyId: string | undefined;
    occurredAt: Date;
    eventIds: string[];
    summary: string;
    details: Details;
  },
): Finding {
  return {
    ruleId,
    severity,
    tenant: context.tenant,
    appId: facts.appId,
    appDisplayName: facts.appDisplayName,
    credentialKeyId: facts.credentialKeyId,
    network: undefined,
    occurredAt: facts.occurredAt,
    eventIds: facts.eventIds,
    summary: facts.summary,
    ip: undefined,
    country: undefined,
    asn: undefined,
    resource: undefined,
    success: undefined,
    allowlist: [],
    details: facts.details,
  };
}
