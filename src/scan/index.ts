import { deliverDue } from '../alerts/deliver.js';
import { purgeIfDue } from './maintenance.js';
import type { RuleSummary } from '../alerts/payload.js';
import { collectInventory } from '../collect/inventory.js';
import type { ChannelConfig, TenantConfig } from '../config/types.js';
import { SEVERITY_ORDER, type AuditEvent, type Inventory } from '../events.js';
import { toCredwatchError } from '../errors.js';
import { assessInventory } from '../inventory/assess.js';
import { diffInventories, parseInventory, serializeInventory } from '../inventory/snapshot.js';
import { resolveAllowlists } from '../networks/index.js';
import { RULES } from '../rules/index.js';
import type { InventoryChange, Rule, RuleContext } from '../rules/types.js';
import type { LearnedNetwork } from '../state/types.js';
import { readAudits } from './audits.js';
import { commitBatch, emptyTally, mergeTally, type CommitContext } from './commit.js';
import { buildRuleContext } from './context.js';
import { collectionHealth } from './health.js';
import { judge, RuleErrors } from './rules-run.js';
import { scanSignIns } from './signins.js';
import type { ScanDeps, ScanSummary } from './types.js';
import { scanWindow, seenExpiry } from './window.js';

export type { ScanDeps, ScanSummary } from './types.js';

/**
 * One scan of one tenant: inventory and allowlists, then audits, then sign-ins, each window
 * committed page by page and its watermark advanced only when the whole window is stored, then
 * delivery of the outbox. Every entry point (CLI, node-cron, Azure Functions) calls this. A failing
 * stage is recorded with its error code and the others still run; nothing failed is reported clean.
 */
export async function runScan(deps: ScanDeps, tenant: TenantConfig): Promise<ScanSummary> {
  const now = deps.now();
  const logger = deps.logger.child({ tenant: tenant.name, scan: now.toISOString() });
  const rules = deps.rules ?? RULES;
  const summary = emptySummary(tenant.name, now);
  const fail = (stage: string, e: unknown) => {
    const err = toCredwatchError(e);
    summary.errors.push({ stage, code: err.code, message: err.message });
    summary.sources.push({ source: stage, status: 'failed', errorCode: err.code, message: err.message });
    logger.error({ err, stage }, 'scan stage failed');
  };
  const { graph } = deps.connect(tenant);

  let inventory: Inventory | undefined;
  try {
    inventory = await collectInventory({ graph, logger, now: () => now }, tenant.tenantId);
    for (const s of inventory.sources) summary.sources.push({ source: `inventory:${s.source}`, status: s.status, ...(s.errorCode ? { errorCode: s.errorCode } : {}), ...(s.message ? { message: s.message } : {}), ...(s.items !== undefined ? { items: s.items } : {}) });
  } catch (e: unknown) {
    fail('inventory', e);
  }

  const allowlists = await resolveAllowlists(deps.config.vendors, { graph, fetch: deps.fetch, cache: deps.store, now: () => now, logger });
  for (const s of allowlists.sources) summary.sources.push({ source: `allowlist:${s.vendor}:${s.source}`, status: s.status === 'ok' ? 'complete' : s.status, items: s.ranges, ...(s.errorCode ? { errorCode: s.errorCode } : {}), ...(s.error ? { message: s.error } : {}) });

  const previous = await deps.store.getLatestSnapshot(tenant.name);
  const changes: InventoryChange[] = inventory ? diffInventories(previous ? parseInventory(previous.json) : undefined, inventory) : [];
  const learned = new Map<string, LearnedNetwork[]>();
  for (const app of inventory?.apps ?? []) {
    if (app.mailboxPermissions.length > 0) learned.set(app.appId.toLowerCase(), await deps.store.getLearnedNetworks(tenant.name, app.appId));
  }

  const auditWindow = scanWindow(await deps.store.getWatermark(tenant.name, 'directoryAudits'), now, deps.config.collection);
  let audits: AuditEvent[] = [];
  let auditsRead = false;
  try {
    const read = await readAudits(graph, auditWindow.from, auditWindow.to);
    audits = read.events;
    auditsRead = true;
    summary.events.audits = audits.length;
    summary.events.quarantined += read.quarantined.length;
  } catch (e: unknown) {
    fail('directoryAudits', e);
  }

  const context = buildRuleContext({ tenant: tenant.name, now, config: deps.config, inventory, allowlists, audits, changes, learned });
  const ruleErrors = new RuleErrors();
  const tally = emptyTally();
  const commit: CommitContext = { store: deps.store, config: deps.config, channels: deliverable(deps), rule: ruleSummary(rules), now, tally };
  const seenExpiresAt = seenExpiry(now, deps.config.collection);

  if (auditsRead) {
    try {
      const unseen = new Set(await deps.store.filterUnseen(tenant.name, 'directoryAudits', audits.map((a) => a.id)));
      const fresh = audits.filter((a) => unseen.has(a.id));
      summary.events.newAudits = fresh.length;
      const findings = judge(rules, fresh.map((event) => ({ type: 'audit' as const, event })), context, logger, ruleErrors);
      await commitBatch(commit, tenant.name, 'directoryAudits', findings, { seenIds: fresh.map((a) => a.id), seenExpiresAt, watermark: auditWindow.to });
      summary.sources.push({ source: 'directoryAudits', status: 'complete', items: audits.length });
    } catch (e: unknown) {
      fail('directoryAudits', e);
    }
  }
  noteWindow(summary, 'directoryAudits', auditWindow);

  const signInWindow = scanWindow(await deps.store.getWatermark(tenant.name, 'signIns'), now, deps.config.collection);
  const unchecked = new Map<string, number>();
  try {
    await scanSignIns(
      { graph, tenant: tenant.name, rules, context, commit, seenExpiresAt, logger, ruleErrors, summary, unchecked, ...(deps.progress ? { progress: (p) => deps.progress?.({ tenant: tenant.name, ...p }) } : {}) },
      signInWindow.from,
      signInWindow.to,
    );
    // Every page is stored: only now may the watermark move.
    await commitBatch(commit, tenant.name, 'signIns', [], { watermark: signInWindow.to, seenExpiresAt });
    summary.sources.push({ source: 'signIns', status: 'complete', items: summary.events.signIns });
  } catch (e: unknown) {
    fail('signIns', e);
  }
  noteWindow(summary, 'signIns', signInWindow);
  for (const [vendor, count] of unchecked) {
    // Said out loud: these sign-ins were neither cleared nor flagged.
    summary.errors.push({ stage: 'signIns', code: 'ALLOWLIST_SOURCE_FAILED', message: `${count} sign-ins of ${vendor}'s apps were NOT checked: no allowlist source of ${vendor} could be read` });
  }

  if (inventory) {
    try {
      const inputs = [
        ...changes.map((change) => ({ type: 'inventoryChange' as const, change })),
        ...assessInventory(inventory, now, deps.config.posture).map((assessment) => ({ type: 'posture' as const, assessment })),
      ];
      const findings = judge(rules, inputs, context, logger, ruleErrors);
      await commitBatch(commit, tenant.name, 'inventory', findings, {
        seenExpiresAt,
        watermark: now,
        snapshot: { tenant: tenant.name, takenAt: now, json: serializeInventory(inventory) },
      });
    } catch (e: unknown) {
      fail('posture', e);
    }
  }

  // After every stage, so each one's failure is known; before delivery, so the alert leaves now.
  await raiseBlindSpots({ deps, tenant, summary, rules, context, commit, ruleErrors, logger, seenExpiresAt });

  summary.delivery = await deliverDue({
    store: deps.store,
    channels: deps.channels,
    now: deps.now,
    logger,
    ...(deps.deliver === 'tenant' ? { tenant: tenant.name } : {}),
  });
  summary.ruleErrors = ruleErrors.list();
  summary.suppressed = tally.suppressed;
  summary.findings = { ...tally.bySeverity };
  summary.expiredSuppressions = [...tally.expiredSuppressions.values()].map((s) => `${s.rule} (${s.appId ?? s.network ?? s.credentialKeyId ?? ''}) expired ${s.expires.toISOString().slice(0, 10)}, owner ${s.owner}`);
  summary.alerts = { new: tally.newAlerts, updated: tally.updatedAlerts, notifications: tally.notifications, raised: tally.raised };
  for (const stream of ['signIns', 'directoryAudits']) {
    const w = await deps.store.getWatermark(tenant.name, stream);
    summary.watermarkLagInMinutes[stream] = w ? Math.round((deps.now().getTime() - w.getTime()) / 60_000) : undefined;
  }
  summary.graphRequests = graph.stats.requests;
  summary.finishedAt = deps.now();
  try {
    // The weekly report's data-collection health and the status commands read these.
    await deps.store.recordScan({
      tenant: tenant.name,
      startedAt: summary.startedAt,
      finishedAt: summary.finishedAt,
      sources: summary.sources,
      errors: summary.errors,
      summaryJson: JSON.stringify({ ...summary, sources: undefined, delivery: { ...summary.delivery, errors: summary.delivery.errors.slice(0, 20) } }),
    });
  } catch (e: unknown) {
    logger.error({ err: toCredwatchError(e) }, 'scan record not stored');
  }
  await purgeIfDue(deps.store, now, logger);
  logger.info({ summary: { ...summary, sources: undefined } }, 'scan finished');
  return summary;
}

/** A summary with nothing read yet; also what a scan that failed before starting reports. */
export function emptySummary(tenant: string, now: Date): ScanSummary {
  return {
    tenant,
    startedAt: now,
    finishedAt: now,
    events: { signIns: 0, newSignIns: 0, audits: 0, newAudits: 0, quarantined: 0 },
    findings: { informational: 0, low: 0, medium: 0, high: 0, critical: 0 },
    suppressed: 0,
    expiredSuppressions: [],
    alerts: { new: 0, updated: 0, notifications: 0, raised: 0 },
    delivery: { sent: 0, retrying: 0, failed: 0, errors: [] },
    sources: [],
    ruleErrors: [],
    errors: [],
    watermarkLagInMinutes: {},
    graphRequests: 0,
  };
}

interface BlindSpotRun {
  deps: ScanDeps;
  tenant: TenantConfig;
  summary: ScanSummary;
  rules: readonly Rule[];
  context: RuleContext;
  commit: CommitContext;
  ruleErrors: RuleErrors;
  logger: ScanDeps['logger'];
  seenExpiresAt: Date;
}

/**
 * Sources this scan could not read become `collection-failing` alerts, through the same outbox and
 * channels as detections: unattended, nobody reads the error log, and a blinded monitor must say
 * so. They are counted in the summary but not as `raised`, which stays "detections": a failing
 * source keeps `credwatch scan`'s exit code 1 on every scan, notified or not.
 */
async function raiseBlindSpots(run: BlindSpotRun): Promise<void> {
  const tally = emptyTally();
  try {
    const vendors = run.deps.config.vendors.map((v) => v.name);
    const inputs = await collectionHealth(run.deps.store, run.tenant, vendors, run.summary.sources, run.commit.now);
    const findings = judge(run.rules, inputs.map((health) => ({ type: 'collectionHealth' as const, health })), run.context, run.logger, run.ruleErrors);
    if (findings.length === 0) return;
    // Worst first: the alert's headline is its first finding's summary.
    findings.sort((a, b) => SEVERITY_ORDER[b.severity] - SEVERITY_ORDER[a.severity]);
    await commitBatch({ ...run.commit, tally }, run.tenant.name, 'health', findings, { seenExpiresAt: run.seenExpiresAt });
    mergeTally(run.commit.tally, tally, { raised: false });
  } catch (e: unknown) {
    const err = toCredwatchError(e);
    run.summary.errors.push({ stage: 'health', code: err.code, message: err.message });
    run.logger.error({ err }, 'collection-failing alerts not stored');
  }
}

function noteWindow(summary: ScanSummary, stream: string, window: ReturnType<typeof scanWindow>): void {
  if (window.gap) summary.errors.push({ stage: stream, code: 'DATA_GAP', message: `${window.gap.reason}: records from ${window.gap.from.toISOString()} to ${window.gap.to.toISOString()} could not be read` });
  if (window.futureWatermark) summary.errors.push({ stage: stream, code: 'WATERMARK_IN_FUTURE', message: `stored watermark ${window.futureWatermark.toISOString()} is ahead of the clock; re-read the overlap instead` });
}

function deliverable(deps: ScanDeps): ChannelConfig[] {
  return deps.config.channels.filter((c) => deps.channels.has(c.name));
}

function ruleSummary(rules: ScanDeps['rules'] & object): (id: string) => RuleSummary {
  const byId = new Map(rules.map((r) => [r.id, r]));
  return (id) => {
    const r = byId.get(id);
    return r
      ? { id, title: r.title, description: r.description, mitre: r.mitre, runbook: r.runbook, falsePositives: r.falsePositives }
      : { id, title: id, description: '', mitre: [], runbook: [], falsePositives: [] };
  };
}
