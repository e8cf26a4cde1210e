/**
 * The weekly report as data, built by one pure function from what the state store holds. Renderers
 * (HTML, JSON, CSV, Teams) only format this model; every judgement — what counts, what is unknown,
 * what to do first — is made here, once, and tested with exact numbers.
 */
import type { VendorConfig } from '../config/types.js';
import type { Inventory } from '../events.js';
import { assessInventory, type PostureThresholds } from '../inventory/assess.js';
import { vendorForApp } from '../networks/vendors.js';
import type { OutboxEntry, SignInAggregate, StoredAlert, StoredFinding, TimeInterval } from '../state/types.js';
import { buildAlertRows, buildFindingRows, raisedBySeverity } from './alerts.js';
import { buildChanges, grantsIncomplete } from './changes.js';
import { buildConformity } from './conformity.js';
import { readSignInTime, signInHealth } from './coverage.js';
import { rankExposure } from './exposure.js';
import { buildHealth, buildStaleAllowlists, collected, healthOf, type ReportScan } from './health.js';
import { allCredentials, buildHygiene, buildInventorySection } from './inventory-rows.js';
import { buildSummary } from './metrics.js';
import { buildRecommendations } from './recommendations.js';
import { REPORT_SCHEMA, type InventoryAppRow, type WeeklyReport } from './types.js';
import { daysOf } from './week.js';

/** Everything the report is built from; `runReport` loads it from the store. */
export interface ReportInput {
  tenant: string;
  /** ISO week, e.g. `2026-W48`; `from`/`to` are its bounds (`weekRange`). */
  week: string;
  from: Date;
  to: Date;
  /** Also the clock for credential expiry: "expires in 12 days" is counted from here. */
  generatedAt: Date;
  /** The latest inventory snapshot; undefined when none was collected (then inventory numbers are unknown). */
  inventory: Inventory | undefined;
  /** Last week's report (from the store's cache), for deltas and changes. */
  previous: WeeklyReport | undefined;
  findings: readonly StoredFinding[];
  alerts: readonly StoredAlert[];
  /** The tenant's outbox entries (any status); matched to alerts by alert id. */
  outbox: readonly OutboxEntry[];
  aggregates: readonly SignInAggregate[];
  /**
   * The scans recorded from a sign-in retention before the week to one after it, with each
   * source's status: health counts the week's own scans; the others say who could have read the
   * week's sign-ins later (`readSignInTime`).
   */
  scans: readonly ReportScan[];
  /** The sign-in stream's covered log time (`StateStore.getCoverage(tenant, 'signIns')`). */
  signInCoverage: readonly TimeInterval[];
  /** `collection.backfillInDays`: time before the first scan's backfill was recorded as covered unread. */
  backfillInDays: number;
  posture: PostureThresholds;
  ruleTitle: (ruleId: string) => string;
  /** The configured vendors: an app without a vendor, or whose vendor lists no ranges, has no allowlist. */
  vendors: readonly VendorConfig[];
}

/** Whose apps the allowlist section lists, in its order: a vendor is asked first, then your own are checked. */
const ALLOWLIST_OWNERS: readonly string[] = ['thirdParty', 'unknown', 'own'];

/**
 * Mailbox-capable apps with no allowlist — vendors', unknown owners' and the tenant's own — from the
 * inventory and the current configuration (the same test the posture rule applies to vendor apps).
 * Own apps belong here too: their sign-ins are unchecked all the same. Microsoft's first-party apps
 * are left out: no allowlist can be configured for them. Not from the rule's findings: a posture
 * finding keeps its id across scans, so a week's findings need not repeat an app flagged weeks ago.
 */
function withoutAllowlist(apps: readonly InventoryAppRow[], vendors: readonly VendorConfig[]): WeeklyReport['appsWithoutAllowlist'] {
  return apps
    .filter((a) => a.mailboxCapable && ALLOWLIST_OWNERS.includes(a.ownership))
    .filter((a) => (vendorForApp(vendors, a.appId, a.appOwnerOrganizationId ?? undefined)?.allowedRanges.length ?? 0) === 0)
    .sort((a, b) => ALLOWLIST_OWNERS.indexOf(a.ownership) - ALLOWLIST_OWNERS.indexOf(b.ownership))
    .map((a) => ({ appId: a.appId, displayName: a.displayName, ownership: a.ownership, mailboxPermissions: a.mailboxPermissions.map((p) => p.permission) }));
}

/** Builds the report. Pure: the same input always gives the same report. */
export function buildWeeklyReport(input: ReportInput): WeeklyReport {
  const { from, to } = input;
  const scans = input.scans.filter((s) => s.startedAt >= from && s.startedAt < to);
  // Sign-ins are judged by the log time read, whenever it was read: a backfill after the week counts.
  const signInTime = readSignInTime({ from, to, covered: input.signInCoverage, scans: input.scans, backfillInDays: input.backfillInDays });
  const health = buildHealth(scans).map((h) => (h.source === 'signIns' ? signInHealth(h, signInTime) : h));
  const signInsKnown = collected(healthOf(health, 'signIns'));

  const section = input.inventory ? buildInventorySection(input.inventory, assessInventory(input.inventory, input.generatedAt, input.posture)) : null;
  const names = new Map<string, string>();
  // The inventory's name wins; an alert's name covers apps the inventory does not know (deleted since).
  for (const a of input.alerts) names.set(a.appId.toLowerCase(), a.appDisplayName);
  for (const a of input.inventory?.apps ?? []) names.set(a.appId.toLowerCase(), a.displayName);
  const nameOf = (appId: string) => names.get(appId.toLowerCase()) ?? appId;

  const weekFindings = input.findings.filter((f) => f.finding.occurredAt >= from && f.finding.occurredAt < to);
  const signIns = buildConformity(input.aggregates, daysOf({ from, to }), nameOf, weekFindings);
  const exposure = rankExposure(section?.apps ?? [], (appId) =>
    signInsKnown ? (signIns.byApp.get(appId.toLowerCase()) ?? { total: 0, unexpected: 0, unexpectedNetworks: 0 }) : null,
  );
  const appsWithoutAllowlist = section ? withoutAllowlist(section.apps, input.vendors) : [];
  const alerts = buildAlertRows(input.alerts, input.outbox, from, to, input.ruleTitle);
  const hygiene = buildHygiene(section);
  const staleAllowlists = buildStaleAllowlists(scans);
  const { changes, changesStatus } = buildChanges(input.previous, section);

  // Mailbox reach comes from the permission sources: if one failed, a count would be a silent undercount.
  const grantsKnown = section !== null && grantsIncomplete(section).length === 0;
  const credentials = section ? allCredentials(section) : [];
  const kindCount = (kind: string) => (section ? credentials.filter((c) => c.kind === kind).length : null);
  const alertsKnown = scans.length > 0 || input.alerts.length > 0;
  const raised = raisedBySeverity(input.alerts, from, to);
  const summary = buildSummary(
    {
      mailboxApps: grantsKnown ? section.apps.filter((a) => a.mailboxCapable).length : null,
      certificates: kindCount('certificate'),
      secrets: kindCount('secret'),
      federated: kindCount('federated'),
      alertsCritical: alertsKnown ? raised.critical : null,
      alertsHigh: alertsKnown ? raised.high : null,
      alertsMedium: alertsKnown ? raised.medium : null,
      alertsLow: alertsKnown ? raised.low : null,
      signInsOutsideAllowlist: signInsKnown ? signIns.unexpectedTotal : null,
      appsWithoutAllowlist: grantsKnown ? appsWithoutAllowlist.filter((a) => a.ownership !== 'own').length : null,
      ownAppsWithoutAllowlist: grantsKnown ? appsWithoutAllowlist.filter((a) => a.ownership === 'own').length : null,
    },
    input.previous,
  );

  return {
    schema: REPORT_SCHEMA,
    tenant: input.tenant,
    week: input.week,
    from: from.toISOString(),
    to: to.toISOString(),
    generatedAt: input.generatedAt.toISOString(),
    summary,
    exposure,
    hygiene,
    conformity: signIns.conformity,
    alerts,
    changes,
    changesStatus,
    appsWithoutAllowlist,
    staleAllowlists,
    health,
    signInTime: {
      share: signInTime.share,
      read: signInTime.read.map((i) => ({ from: new Date(i.fromMs).toISOString(), to: new Date(i.toMs).toISOString() })),
    },
    recommendations: buildRecommendations({ alerts, hygiene, appsWithoutAllowlist, health, staleAllowlists, exposure, conformity: signIns.conformity }),
    findings: buildFindingRows(weekFindings, from, to, input.ruleTitle),
    inventory: section,
  };
}
