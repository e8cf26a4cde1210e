/**
 * The alert payload, `credwatch.alert/v1` (docs/alerts.md): what every channel is given and what the
 * webhook and jsonl channels write out as is. It sits in the bottom layer with events.ts and
 * contract.ts (docs/architecture.md) because both alerts/ (which builds it and whose channels
 * deliver it) and present/ (which turns it into what people read) depend on it.
 */
import { SEVERITY_ORDER, type AlertBlastRadius, type BlastRadius, type RangeProvenance, type Severity } from './events.js';

/** Documented in docs/alerts.md; bump the version on any incompatible change. */
export const ALERT_SCHEMA = 'credwatch.alert/v1';

export interface RuleSummary {
  id: string;
  title: string;
  description: string;
  mitre: readonly string[];
  runbook: readonly string[];
  falsePositives: readonly string[];
}

/** What every channel renders: the alert, the rule's advice, and a link to the app. */
export interface AlertPayload {
  schema: typeof ALERT_SCHEMA;
  alertId: string;
  tenant: string;
  severity: Severity;
  rule: RuleSummary;
  app: { appId: string; displayName: string; entraUrl: string };
  credentialKeyId: string | null;
  network: string | null;
  summary: string;
  firstSeen: string;
  lastSeen: string;
  count: number;
  successCount: number;
  failureCount: number;
  ips: string[];
  countries: string[];
  asns: number[];
  resources: string[];
  allowlist: Array<Omit<RangeProvenance, 'fetchedAt'> & { fetchedAt: string | null }>;
  /**
   * 0 for the first notification, then the count when each later round (repeat, escalation,
   * update) was queued: the round's identity, stable across resends. `count` and the lists are the
   * alert as it stands when the message is delivered, so they may be higher.
   */
  notification: number;
  /**
   * Only on an escalation round: the severity the alert was last notified at, lower than
   * `severity`. Optional, so v1 receivers that do not know it read the payload as before.
   */
  escalatedFrom?: Severity;
  /**
   * Only on an update round: what the alert gained since the receiver was last told of it (new
   * IPs, networks, resources, or its first success). Optional like `escalatedFrom`.
   */
  update?: AlertUpdate;
  /**
   * Which mailboxes the app read from the alerted addresses (docs/blast-radius.md), on sign-in
   * alerts of mailbox-capable apps: `pending` while the audit log query runs, `known` with the
   * summary (the full mailbox list, up to 500), `unknown` with a stable error code and why — never
   * a zero. Optional like `escalatedFrom`.
   */
  blastRadius?: BlastRadiusPayload;
}

/** The blast radius as the payload carries it: times as ISO strings. */
export type BlastRadiusPayload = { ips: string[]; from: string; to: string } & (
  | { status: 'pending' }
  | { status: 'unknown'; code: string; reason: string }
  | {
      status: 'known';
      radius: Omit<BlastRadius, 'appId' | 'ips' | 'from' | 'to' | 'firstAccess' | 'lastAccess'> & { firstAccess: string | null; lastAccess: string | null };
    }
);

/** The stored blast radius as the payload carries it. */
export function blastRadiusPayload(b: AlertBlastRadius): BlastRadiusPayload {
  const base = { ips: [...b.ips], from: b.from.toISOString(), to: b.to.toISOString() };
  if (b.status === 'pending') return { ...base, status: 'pending' };
  if (b.status === 'unknown') return { ...base, status: 'unknown', code: b.code, reason: b.reason };
  const { appId: _app, ips: _ips, from: _from, to: _to, firstAccess, lastAccess, ...rest } = b.radius;
  return { ...base, status: 'known', radius: { ...rest, firstAccess: firstAccess?.toISOString() ?? null, lastAccess: lastAccess?.toISOString() ?? null } };
}

/** What the alert has gained since a notification; the payload's `update` (docs/alerts.md). */
export interface AlertUpdate {
  /** Source IP addresses no earlier notification listed. */
  ips: string[];
  /** Autonomous system numbers no earlier notification listed. */
  asns: number[];
  /** Resources no earlier notification listed. */
  resources: string[];
  /** True when the alert's first successful sign-in came after the earlier notification. */
  firstSuccess: boolean;
  /** Present when the blast radius became known, or could not be, since the earlier notification. */
  blastRadius?: 'known' | 'unknown';
}

/**
 * The severity an alert escalated from, when this payload is an escalation round. A payload read
 * back from storage is not trusted blindly: only a known severity below the alert's own counts.
 */
export function escalationOf(payload: Pick<AlertPayload, 'severity' | 'escalatedFrom'>): Severity | undefined {
  const from = payload.escalatedFrom;
  if (typeof from !== 'string' || !Object.hasOwn(SEVERITY_ORDER, from) || !Object.hasOwn(SEVERITY_ORDER, payload.severity)) return undefined;
  return SEVERITY_ORDER[from] < SEVERITY_ORDER[payload.severity] ? from : undefined;
}

/**
 * The update a payload carries, cleaned: arrays of the right types only, and undefined when there
 * is nothing new — channels render from this, never from the raw field.
 */
export function updateOf(payload: Pick<AlertPayload, 'update'>): AlertUpdate | undefined {
  const u: unknown = payload.update;
  if (typeof u !== 'object' || u === null) return undefined;
  const raw = u as Record<string, unknown>;
  const list = <T>(v: unknown, is: (x: unknown) => x is T): T[] => (Array.isArray(v) ? v.filter(is) : []);
  const update: AlertUpdate = {
    ips: list(raw['ips'], (x): x is string => typeof x === 'string'),
    asns: list(raw['asns'], (x): x is number => Number.isSafeInteger(x)),
    resources: list(raw['resources'], (x): x is string => typeof x === 'string'),
    firstSuccess: raw['firstSuccess'] === true,
  };
  if (raw['blastRadius'] === 'known' || raw['blastRadius'] === 'unknown') update.blastRadius = raw['blastRadius'];
  return update.ips.length + update.asns.length + update.resources.length > 0 || update.firstSuccess || update.blastRadius ? update : undefined;
}

/** One line of an update for people: its parts, each with the values the presentation layer cleans. */
export function updateParts(update: AlertUpdate): Array<{ label: string; values: string[] }> {
  const parts: Array<{ label: string; values: string[] }> = [];
  if (update.firstSuccess) parts.push({ label: 'first successful sign-in', values: [] });
  if (update.ips.length > 0) parts.push({ label: `new IP address${update.ips.length === 1 ? '' : 'es'}`, values: update.ips });
  if (update.asns.length > 0) parts.push({ label: `new network${update.asns.length === 1 ? '' : 's'}`, values: update.asns.map((n) => `AS${n}`) });
  if (update.resources.length > 0) parts.push({ label: `new resource${update.resources.length === 1 ? '' : 's'}`, values: update.resources });
  if (update.blastRadius === 'known') parts.push({ label: 'blast radius known (mailboxes read)', values: [] });
  if (update.blastRadius === 'unknown') parts.push({ label: 'blast radius could not be determined', values: [] });
  return parts;
}
