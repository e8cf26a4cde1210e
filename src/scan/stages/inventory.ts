/**
 * The inventory stage: every app that can reach mailboxes, with its credentials (docs/inventory.md),
 * and what changed since the previous scan's snapshot. The snapshot itself is replaced only by the
 * inventory-findings stage, after the sign-ins: a scan that dies before then diffs against the same
 * snapshot again, so a credential added since is still known when its sign-ins are read again.
 */
import { collectInventory } from '../../collect/inventory.js';
import type { Inventory, InventoryChange, SourceRecord } from '../../contract.js';
import { diffInventories, parseInventory } from '../../inventory/snapshot.js';
import type { LearnedNetwork } from '../../state/types.js';
import { stageFailed, type ReadingRun, type StageReport } from './stage.js';

/** The tenant's apps as read now, and how they differ from the last stored snapshot. */
export interface InventoryStageResult extends StageReport {
  /** Undefined when the inventory could not be read: then nothing is diffed, judged or stored. */
  inventory: Inventory | undefined;
  /** Empty without an inventory; everything counts as added when there was no snapshot yet. */
  changes: InventoryChange[];
  /** Networks already seen for each mailbox-capable app, by lower-case app id (signin-new-network). */
  learned: Map<string, LearnedNetwork[]>;
}

/**
 * Reads the inventory, diffs it with the stored snapshot and loads the learned networks of the
 * apps that can reach mailboxes. A failed read is a failed `inventory` source; a state store that
 * cannot be read fails the scan, as every stage's store reads do.
 */
export async function inventoryStage(run: ReadingRun): Promise<InventoryStageResult> {
  // Read first: mailbox reach this scan cannot read is carried over from it (inventory/carryover.ts).
  const stored = await run.store.getLatestSnapshot(run.tenant.name);
  const previous = stored ? { inventory: parseInventory(stored.json), takenAt: stored.takenAt } : undefined;
  let inventory: Inventory | undefined;
  let report: StageReport;
  try {
    inventory = await collectInventory({ graph: run.graph, logger: run.logger, now: () => run.now, previous }, run.tenant.tenantId);
    report = { sources: inventory.sources.map(recordOf), errors: [] };
  } catch (e: unknown) {
    report = stageFailed(run, 'inventory', e);
  }
  if (!inventory) return { ...report, inventory, changes: [], learned: new Map() };
  const changes = diffInventories(previous?.inventory, inventory);
  const learned = new Map<string, LearnedNetwork[]>();
  for (const app of inventory.apps) {
    if (app.mailboxPermissions.length > 0) learned.set(app.appId.toLowerCase(), await run.store.getLearnedNetworks(run.tenant.name, app.appId));
  }
  return { ...report, inventory, changes, learned };
}

/** An inventory part as a line of the scan's sources, `inventory:<part>`, absent fields left out. */
function recordOf(s: Inventory['sources'][number]): SourceRecord {
  return {
    source: `inventory:${s.source}`,
    status: s.status,
    ...(s.errorCode ? { errorCode: s.errorCode } : {}),
    ...(s.message ? { message: s.message } : {}),
    ...(s.items !== undefined ? { items: s.items } : {}),
  };
}
