/**
 * The inventory-findings stage: the inventory diff (credentials and mailbox permissions added) and
 * the posture assessment judged by the rules, committed with the new snapshot. It runs after the
 * sign-ins on purpose: until this commit the previous snapshot stays, so a scan that dies earlier
 * finds the same changes again and "credential added, then used" still sees them (docs/rules.md).
 */
import type { Inventory, InventoryChange } from '../../contract.js';
import { assessInventory } from '../../inventory/assess.js';
import { serializeInventory } from '../../inventory/snapshot.js';
import type { RuleContext } from '../../rules/types.js';
import { commitBatch } from '../commit.js';
import { judge, RuleErrors } from '../rules-run.js';
import { commitContext, emptyJudged, stageFailed, type JudgedReport, type ScanRun } from './stage.js';

/**
 * What the stage judged and stored; a failure is reported as the `posture` source. Nothing happens
 * without an inventory: a tenant that could not be read is not assessed as having no apps.
 */
export type InventoryFindingsResult = JudgedReport;

/** Judges the changes and the posture of `inventory`, then stores findings and snapshot together. */
export async function inventoryFindingsStage(
  run: ScanRun,
  inventory: Inventory | undefined,
  changes: readonly InventoryChange[],
  context: RuleContext,
): Promise<InventoryFindingsResult> {
  if (!inventory) return emptyJudged();
  const commit = commitContext(run);
  const ruleErrors = new RuleErrors();
  try {
    const inputs = [
      ...changes.map((change) => ({ type: 'inventoryChange' as const, change })),
      ...assessInventory(inventory, run.now, run.config.posture).map((assessment) => ({ type: 'posture' as const, assessment })),
    ];
    const findings = judge(run.rules, inputs, context, run.logger, ruleErrors);
    await commitBatch(commit, run.tenant.name, 'inventory', findings, {
      seenExpiresAt: run.seenExpiresAt,
      watermark: run.now,
      snapshot: { tenant: run.tenant.name, takenAt: run.now, json: serializeInventory(inventory) },
    });
    return { sources: [], errors: [], tally: commit.tally, ruleErrors: ruleErrors.list() };
  } catch (e: unknown) {
    return { ...stageFailed(run, 'posture', e), tally: commit.tally, ruleErrors: ruleErrors.list() };
  }
}
