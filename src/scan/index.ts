/**
 * One scan of one tenant, as stages that each return their result (src/scan/stages/): inventory
 * with its diff, allowlists, directory audits, sign-ins, the blast radius of sign-in alerts, the
 * inventory's findings, blind spots, delivery. `runScan` only wires them in order and builds the summary from their results.
 */
import type { TenantConfig } from '../config/types.js';
import type { Inventory } from '../contract.js';
import { withDeadline } from '../graph/deadline.js';
import type { Logger } from '../logging.js';
import { parseInventory } from '../inventory/snapshot.js';
import { allowlistHttp } from '../networks/index.js';
import { RULES } from '../rules/index.js';
import { buildRuleContext } from './context.js';
import { holdScanLease } from './lease.js';
import { purgeIfDue } from './maintenance.js';
import { allowlistStage } from './stages/allowlists.js';
import { judgeAuditStage, readAuditStage } from './stages/audits.js';
import { blastRadiusStage } from './stages/blast-radius.js';
import { blindSpotStage } from './stages/blind-spots.js';
import { deliverableChannels, deliveryStage } from './stages/delivery.js';
import { inventoryFindingsStage } from './stages/inventory-findings.js';
import { inventoryStage } from './stages/inventory.js';
import { signInStage } from './stages/signins.js';
import { ruleSummaries, type ReadingRun } from './stages/stage.js';
import { assembleSummary, recordScanOutcome, sourcesOf, watermarkLag } from './summary.js';
import type { ScanDeps, ScanSummary } from './types.js';
import { seenExpiry } from './window.js';

export { emptySummary } from './summary.js';

/** The inventory of the last snapshot stored for the tenant, if any. */
async function lastStoredInventory(run: ReadingRun): Promise<Inventory | undefined> {
  const snapshot = await run.store.getLatestSnapshot(run.tenant.name);
  if (!snapshot) return undefined;
  run.logger.warn({ takenAt: snapshot.takenAt }, 'inventory not read: sign-ins are attributed from the last stored snapshot');
  return parseInventory(snapshot.json);
}
export type { ScanDeps, ScanSummary } from './types.js';

/** How long after collection.maxRunMinutes any Graph read of the scan is refused (graph/deadline.ts). */
const HARD_DEADLINE_GRACE_MINUTES = 2;

/**
 * One scan of one tenant: inventory and allowlists, then audits, then sign-ins, each window
 * committed page by page and its watermark advanced only when the whole window is stored, then
 * the inventory's findings with the new snapshot, blind spots, and delivery of the outbox. Every
 * entry point (CLI, node-cron, Azure Functions) calls this. A failing stage is recorded with its
 * error code and the others still run; nothing failed is reported clean. The scan holds the
 * tenant's lease in the store throughout (lease.ts): while another scan of the tenant runs, this
 * one throws SCAN_IN_PROGRESS before reading anything.
 */
export async function runScan(deps: ScanDeps, tenant: TenantConfig): Promise<ScanSummary> {
  const now = deps.now();
  const logger = deps.logger.child({ tenant: tenant.name, scan: now.toISOString() });
  const lease = await holdScanLease({ store: deps.store, now: deps.now, logger }, tenant.name);
  try {
    return await scanTenant(deps, tenant, now, logger);
  } finally {
    await lease.release();
  }
}

async function scanTenant(deps: ScanDeps, tenant: TenantConfig, now: Date, logger: Logger): Promise<ScanSummary> {
  const rules = deps.rules ?? RULES;
  // Past maxRunMinutes the sign-in stage stops on its own, between slices; this catches whatever
  // else is still reading (a slow inventory, a stuck audit listing) before the Function's timeout.
  const graph = withDeadline(
    deps.connect(tenant).graph,
    now.getTime() + (deps.config.collection.maxRunMinutes + HARD_DEADLINE_GRACE_MINUTES) * 60_000,
    deps.now,
  );
  const run: ReadingRun = {
    tenant,
    config: deps.config,
    store: deps.store,
    logger,
    now,
    rules,
    channels: deliverableChannels(deps.config, deps.channels),
    rule: ruleSummaries(rules),
    seenExpiresAt: seenExpiry(now, deps.config.collection),
    graph,
  };

  const inventory = await inventoryStage(run);
  // Without this scan's inventory, sign-ins are attributed (vendor, mailbox reach) from the last
  // stored one rather than read as belonging to nobody; with neither, they wait for a later scan.
  const judgingInventory = inventory.inventory ?? (await lastStoredInventory(run));
  // The tenant's trust anchors, as for Graph: a TLS-inspecting proxy re-signs vendor feeds too.
  const http = deps.allowlistHttp ?? allowlistHttp({ caCertificatePem: tenant.endpoints.caCertificatePem });
  const allowlists = await allowlistStage(run, { graph, http });
  const auditRead = await readAuditStage(run);
  const context = buildRuleContext({
    tenant: tenant.name,
    now,
    config: deps.config,
    inventory: judgingInventory,
    allowlists: allowlists.allowlists,
    audits: auditRead.events ?? [],
    changes: inventory.changes,
    learned: inventory.learned,
  });
  const audits = await judgeAuditStage(run, auditRead, context);
  const progress = deps.progress;
  const signIns = await signInStage(run, context, {
    ...(progress ? { progress: (p) => progress({ tenant: tenant.name, ...p }) } : {}),
    noInventory: judgingInventory === undefined,
    clock: deps.now,
  });
  // After the stages that raise sign-in alerts, before delivery: an answer reached now leaves with this scan.
  const blastRadius = await blastRadiusStage(run, { inventory: judgingInventory, clock: deps.now });
  const inventoryFindings = await inventoryFindingsStage(run, inventory.inventory, inventory.changes, context);
  const blindSpots = await blindSpotStage(run, context, sourcesOf([inventory, allowlists, audits, signIns, inventoryFindings]));
  const delivery = await deliveryStage(run, { channels: deps.channels, now: deps.now, deliver: deps.deliver });

  const watermarkLagInMinutes = await watermarkLag(deps.store, tenant.name, deps.now());
  const graphRequests = graph.stats.requests;
  const summary = assembleSummary(
    { tenant: tenant.name, startedAt: now, finishedAt: deps.now(), watermarkLagInMinutes, graphRequests },
    { inventory, allowlists, audits, signIns, blastRadius, inventoryFindings, blindSpots, delivery },
  );
  await recordScanOutcome(deps.store, summary, logger);
  await purgeIfDue(deps.store, now, logger);
  logger.info({ summary: { ...summary, sources: undefined } }, 'scan finished');
  return summary;
}
