/**
 * Findings and alerts as stored: the columns the read paths filter on, plus a JSON body for the
 * rest. Dates are epoch milliseconds everywhere (columns and JSON) and absent values are `null`,
 * so a decoded record has exactly the shape that was written. Decoding always builds new objects,
 * which is what makes returned records copies.
 */
import type { Finding, RangeProvenance, Severity } from '../events.js';
import { decodeBlastRadius, encodeBlastRadius, type BlastRadiusJson } from './codec-blast-radius.js';
import type { NotifiedFacts, StoredAlert, StoredFinding } from './types.js';
import { fromMs, fromOptionalMs, invalidInput, parseBody, requireCount, requireKey, requireSeverity, toMs, toOptionalMs } from './validate.js';

/** A row of the `findings` table. */
export interface FindingRow {
  finding_id: string;
  alert_id: string;
  tenant: string;
  occurred_at_ms: number;
  suppressed: 0 | 1;
  body: string;
}

/** A row of the `alerts` table. */
export interface AlertRow {
  alert_id: string;
  tenant: string;
  first_seen_ms: number;
  last_seen_ms: number;
  body: string;
}

interface ProvenanceJson {
  vendor: string;
  source: string;
  cidr: string;
  fetchedAtMs: number | null;
  stale: boolean;
}

type FindingJson = Omit<Finding, 'occurredAt' | 'allowlist' | 'credentialKeyId' | 'network' | 'ip' | 'country' | 'asn' | 'resource' | 'success'> & {
  occurredAtMs: number;
  allowlist: ProvenanceJson[];
  credentialKeyId: string | null;
  network: string | null;
  ip: string | null;
  country: string | null;
  asn: number | null;
  resource: string | null;
  success: boolean | null;
};

type AlertJson = Omit<
  StoredAlert,
  | 'alertId'
  | 'tenant'
  | 'firstSeen'
  | 'lastSeen'
  | 'allowlist'
  | 'credentialKeyId'
  | 'network'
  | 'suppressed'
  | 'notifiedAt'
  | 'notifiedSeverity'
  | 'notifiedFacts'
  | 'notifiedRound'
  | 'blastRadius'
> & {
  credentialKeyId: string | null;
  network: string | null;
  allowlist: ProvenanceJson[];
  suppressed: { reason: string; owner: string; expiresMs: number } | null;
  notifiedAtMs: number | null;
  /** Absent in bodies written before escalation was tracked; read as undefined like null. */
  notifiedSeverity?: Severity | null;
  /** Absent in bodies written before updates were tracked; read as absent like null. */
  notifiedFacts?: NotifiedFacts | null;
  /** Absent in bodies written before the blast radius was kept; read as absent like null. */
  notifiedRound?: number | null;
  blastRadius?: BlastRadiusJson | null;
};

/**
 * Copies the notified facts, refusing values no later comparison could use: they decide whether a
 * receiver hears of a new IP, so a malformed set must fail the commit rather than silence updates.
 */
function encodeFacts(facts: NotifiedFacts | undefined): NotifiedFacts | null {
  if (facts === undefined) return null;
  const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
  const ok =
    strings(facts.ips) &&
    strings(facts.resources) &&
    Array.isArray(facts.asns) &&
    facts.asns.every((n) => Number.isSafeInteger(n)) &&
    typeof facts.success === 'boolean' &&
    (facts.blastRadius === undefined || typeof facts.blastRadius === 'string');
  if (!ok)
    throw invalidInput('alert.notifiedFacts must hold ips and resources (strings), asns (integers) and success (boolean)', { field: 'alert.notifiedFacts' });
  const told = { ips: [...facts.ips], asns: [...facts.asns], resources: [...facts.resources], success: facts.success };
  return facts.blastRadius === undefined ? told : { ...told, blastRadius: facts.blastRadius };
}

function encodeProvenance(p: RangeProvenance, field: string): ProvenanceJson {
  return { vendor: p.vendor, source: p.source, cidr: p.cidr, fetchedAtMs: toOptionalMs(p.fetchedAt, `${field}.fetchedAt`), stale: p.stale };
}

function decodeProvenance(p: ProvenanceJson): RangeProvenance {
  return { vendor: p.vendor, source: p.source, cidr: p.cidr, fetchedAt: fromOptionalMs(p.fetchedAtMs), stale: p.stale };
}

/** Validates and encodes a finding; throws STATE_INVALID_INPUT for a record no store may keep. */
export function encodeFinding(stored: StoredFinding): FindingRow {
  const f = stored.finding;
  const body: FindingJson = {
    ruleId: requireKey(f.ruleId, 'finding.ruleId'),
    severity: requireSeverity(f.severity, 'finding.severity'),
    tenant: f.tenant,
    appId: f.appId,
    appDisplayName: f.appDisplayName,
    credentialKeyId: f.credentialKeyId ?? null,
    network: f.network ?? null,
    occurredAtMs: toMs(f.occurredAt, 'finding.occurredAt'),
    eventIds: [...f.eventIds],
    summary: f.summary,
    ip: f.ip ?? null,
    country: f.country ?? null,
    asn: f.asn ?? null,
    resource: f.resource ?? null,
    success: f.success ?? null,
    allowlist: f.allowlist.map((p, i) => encodeProvenance(p, `finding.allowlist[${i}]`)),
    details: { ...f.details },
  };
  return {
    finding_id: requireKey(stored.findingId, 'findingId'),
    alert_id: requireKey(stored.alertId, 'finding.alertId'),
    tenant: requireKey(f.tenant, 'finding.tenant'),
    occurred_at_ms: body.occurredAtMs,
    suppressed: stored.suppressed ? 1 : 0,
    body: JSON.stringify(body),
  };
}

/** A new StoredFinding from its row. */
export function decodeFinding(row: FindingRow): StoredFinding {
  const j = parseBody<FindingJson>(row.body, `finding ${row.finding_id}`);
  const finding: Finding = {
    ruleId: j.ruleId,
    severity: j.severity,
    tenant: j.tenant,
    appId: j.appId,
    appDisplayName: j.appDisplayName,
    credentialKeyId: j.credentialKeyId ?? undefined,
    network: j.network ?? undefined,
    occurredAt: fromMs(j.occurredAtMs),
    eventIds: j.eventIds,
    summary: j.summary,
    ip: j.ip ?? undefined,
    country: j.country ?? undefined,
    asn: j.asn ?? undefined,
    resource: j.resource ?? undefined,
    success: j.success ?? undefined,
    allowlist: j.allowlist.map(decodeProvenance),
    details: j.details,
  };
  return { findingId: row.finding_id, alertId: row.alert_id, finding, suppressed: row.suppressed === 1 };
}

/** Validates and encodes an alert; throws STATE_INVALID_INPUT for a record no store may keep. */
export function encodeAlert(a: StoredAlert): AlertRow {
  const body: AlertJson = {
    ruleId: requireKey(a.ruleId, 'alert.ruleId'),
    severity: requireSeverity(a.severity, 'alert.severity'),
    appId: a.appId,
    appDisplayName: a.appDisplayName,
    credentialKeyId: a.credentialKeyId ?? null,
    network: a.network ?? null,
    count: requireCount(a.count, 'alert.count'),
    successCount: requireCount(a.successCount, 'alert.successCount'),
    failureCount: requireCount(a.failureCount, 'alert.failureCount'),
    ips: [...a.ips],
    countries: [...a.countries],
    asns: [...a.asns],
    resources: [...a.resources],
    allowlist: a.allowlist.map((p, i) => encodeProvenance(p, `alert.allowlist[${i}]`)),
    summary: a.summary,
    eventIds: [...a.eventIds],
    suppressed:
      a.suppressed === undefined
        ? null
        : { reason: a.suppressed.reason, owner: a.suppressed.owner, expiresMs: toMs(a.suppressed.expires, 'alert.suppressed.expires') },
    notifiedAtMs: toOptionalMs(a.notifiedAt, 'alert.notifiedAt'),
    notifiedCount: requireCount(a.notifiedCount, 'alert.notifiedCount'),
    notifiedSeverity: a.notifiedSeverity === undefined ? null : requireSeverity(a.notifiedSeverity, 'alert.notifiedSeverity'),
    notifiedFacts: encodeFacts(a.notifiedFacts),
    notifiedRound: a.notifiedRound === undefined ? null : requireCount(a.notifiedRound, 'alert.notifiedRound'),
    blastRadius: encodeBlastRadius(a.blastRadius),
  };
  return {
    alert_id: requireKey(a.alertId, 'alertId'),
    tenant: requireKey(a.tenant, 'alert.tenant'),
    first_seen_ms: toMs(a.firstSeen, 'alert.firstSeen'),
    last_seen_ms: toMs(a.lastSeen, 'alert.lastSeen'),
    body: JSON.stringify(body),
  };
}

/** A new StoredAlert from its row. */
export function decodeAlert(row: AlertRow): StoredAlert {
  const j = parseBody<AlertJson>(row.body, `alert ${row.alert_id}`);
  const facts = j.notifiedFacts ?? undefined;
  return {
    alertId: row.alert_id,
    tenant: row.tenant,
    ruleId: j.ruleId,
    severity: j.severity,
    appId: j.appId,
    appDisplayName: j.appDisplayName,
    credentialKeyId: j.credentialKeyId ?? undefined,
    network: j.network ?? undefined,
    firstSeen: fromMs(row.first_seen_ms),
    lastSeen: fromMs(row.last_seen_ms),
    count: j.count,
    successCount: j.successCount,
    failureCount: j.failureCount,
    ips: j.ips,
    countries: j.countries,
    asns: j.asns,
    resources: j.resources,
    allowlist: j.allowlist.map(decodeProvenance),
    summary: j.summary,
    eventIds: j.eventIds,
    suppressed: j.suppressed === null ? undefined : { reason: j.suppressed.reason, owner: j.suppressed.owner, expires: fromMs(j.suppressed.expiresMs) },
    notifiedAt: fromOptionalMs(j.notifiedAtMs),
    notifiedCount: j.notifiedCount,
    notifiedSeverity: j.notifiedSeverity ?? undefined,
    // Optional, so an alert without it reads back exactly as written (no key at all).
    ...(facts === undefined
      ? {}
      : {
          notifiedFacts: {
            ips: facts.ips,
            asns: facts.asns,
            resources: facts.resources,
            success: facts.success,
            ...(typeof facts.blastRadius === 'string' ? { blastRadius: facts.blastRadius } : {}),
          },
        }),
    ...(typeof j.notifiedRound === 'number' ? { notifiedRound: j.notifiedRound } : {}),
    ...(j.blastRadius ? { blastRadius: decodeBlastRadius(j.blastRadius)! } : {}),
  };
}
