/**
 * The cross-stage contract: the few types every part of credwatch exchanges — the severity scale
 * and what "one source was read, partly read or not read" means — defined once here, plus the
 * normalized events the scan's stages pass on, re-exported from `events.ts`.
 *
 * It sits at the top of `src/`, in the bottom layer with `events.ts` (docs/architecture.md), rather
 * than under `src/scan/`: config (a channel's `minSeverity`), state, rules, alerts and reports all
 * use the scale, and none of them may depend on the scan, which imports them all. So it imports
 * nothing but `events.ts`, and only types: anything can import it without a cycle.
 */

// ─── Severity ────────────────────────────────────────────────────────────────────────────────

/**
 * Alert and finding severities, lowest first: the one ordered scale. Index order is rank order, so
 * a channel's `minSeverity` (docs/alerts.md) and "critical first" digests compare positions here.
 */
export const SEVERITIES = Object.freeze(['informational', 'low', 'medium', 'high', 'critical'] as const);

/** One of {@link SEVERITIES}. */
export type Severity = (typeof SEVERITIES)[number];

/** Each severity's rank, 0 for `informational` up to 4 for `critical`. */
export const SEVERITY_ORDER: Readonly<Record<Severity, number>> = Object.freeze(
  Object.fromEntries(SEVERITIES.map((s, rank) => [s, rank])) as Record<Severity, number>,
);

/**
 * Whether a value read from outside the type system (a stored row, a payload, a receiver's JSON)
 * is a severity this version knows. An own-property check, so `toString` and friends are not.
 */
export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && Object.hasOwn(SEVERITY_ORDER, value);
}

/** Negative when `a` is less severe than `b`, 0 when equal, positive when more severe. */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITY_ORDER[a] - SEVERITY_ORDER[b];
}

/** Whether `severity` reaches `minimum` (a channel's `minSeverity` lets equal severities through). */
export function atLeast(severity: Severity, minimum: Severity): boolean {
  return compareSeverity(severity, minimum) >= 0;
}

/** The more severe of two: an alert's severity is the worst of its findings'. */
export function worse(a: Severity, b: Severity): Severity {
  return compareSeverity(a, b) >= 0 ? a : b;
}

/**
 * One step lower, never below `informational`: a failed attempt is one level below a successful
 * one (docs/rules.md).
 */
export function lower(severity: Severity): Severity {
  return SEVERITIES[Math.max(0, SEVERITY_ORDER[severity] - 1)] ?? 'informational';
}

/**
 * A sort comparator for anything with a severity, most severe first: the order a responder reads a
 * digest in, and the order that makes the first finding an alert's headline.
 */
export function worstFirst(a: { severity: Severity }, b: { severity: Severity }): number {
  return compareSeverity(b.severity, a.severity);
}

/** A zero count for every severity, in scale order (the scan summary's `findings`). */
export function severityCounts(): Record<Severity, number> {
  return Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
}

// ─── Sources ─────────────────────────────────────────────────────────────────────────────────

/**
 * One inventory source's collection outcome (docs/inventory.md). Anything not `complete` must be
 * shown as unknown, not clean.
 */
export interface SourceStatus {
  source: string;
  status: 'complete' | 'partial' | 'failed' | 'skipped';
  errorCode?: string;
  message?: string;
  items?: number;
}

/**
 * How one source fared in one scan: an inventory outcome, or `stale` (an allowlist read from its
 * last good copy) or `unknown`. The weekly report grades them (docs/report.md); any other text in
 * an old record counts as failed there.
 */
export type SourceState = SourceStatus['status'] | 'stale' | 'unknown';

/**
 * One line of a scan's source list (`inventory:<x>`, `allowlist:<vendor>:<source>`, `signIns`,
 * `directoryAudits`, …), as printed, recorded in the `scans` table (docs/state.md) and read back to
 * decide `collection-failing`.
 */
export interface SourceRecord {
  source: string;
  status: SourceState;
  errorCode?: string;
  message?: string;
  items?: number;
}

/**
 * A source line as read back from the `scans` table. Another credwatch version may have written
 * it, so its status is any text: the report grades one it does not know as failed (docs/report.md),
 * and the blind-spot stage reads only `failed` as a failure.
 */
export type RecordedSource = Omit<SourceRecord, 'status'> & { status: string };

/**
 * What reading one allowlist source produced (docs/allowlists.md): `ok` current data, `stale` an
 * old cached copy, `failed` nothing usable. A scan records `ok` as `complete`.
 */
export type AllowlistSourceStatus = 'ok' | 'stale' | 'failed';

/** A stage or source that failed in a scan, with the error code (docs/errors.md) and one line. */
export interface ScanError {
  stage: string;
  code: string;
  message: string;
}

// ─── Events the stages exchange, defined with the other normalized types ──────────────────────

export type { AuditEvent, Finding, Inventory, InventoryChange, SignInEvent } from './events.js';

// ─── Alert subjects ──────────────────────────────────────────────────────────────────────────

/**
 * The finding `details` key a rule sets to the finding's subject (a permission name, an event id):
 * what, besides rule family, app, credential and network, makes it an alert of its own
 * (src/alerts/subject.ts, docs/alerts.md). Findings without it group as before.
 */
export const ALERT_SUBJECT_DETAIL = 'alertSubject';
