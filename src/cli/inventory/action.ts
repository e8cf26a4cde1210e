import { writePrivateFile } from '../../private-files.js';
import type { Command } from 'commander';
import { collectInventory } from '../../collect/inventory.js';
import { toCredwatchError } from '../../errors.js';
import { assessInventory } from '../../inventory/assess.js';
import { renderInventoryCsv, renderInventoryJson, renderInventoryTable, type InventoryFormat } from '../../inventory/render.js';
import { csvFileText } from '../../render/text.js';
import { runAction, writeStdout } from '../action.js';
import { cliContext, selectTenants, type CliContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { inventoryOptions } from './options.js';

export interface InventoryCommandOptions {
  tenant?: string;
  format: InventoryFormat;
  all?: boolean;
  out?: string;
}

/** `credwatch inventory`: collect, assess and print each tenant's exposure. Returns the exit code. */
export async function inventoryCommand(ctx: CliContext, options: InventoryCommandOptions, write: (text: string) => void): Promise<number> {
  let exit: number = EXIT.OK;
  const outputs: string[] = [];
  for (const tenant of selectTenants(ctx.config, options.tenant)) {
    try {
      const { graph } = ctx.connect(tenant);
      const inventory = await collectInventory({ graph, logger: ctx.logger, now: () => new Date() }, tenant.tenantId);
      const assessed = assessInventory(inventory, inventory.collectedAt, ctx.config.posture);
      if (inventory.sources.some((s) => s.status === 'failed' || s.status === 'partial') && exit === EXIT.OK) exit = EXIT.INCOMPLETE;
      if (options.format === 'json') outputs.push(renderInventoryJson(inventory, assessed));
      else if (options.format === 'csv') outputs.push(renderInventoryCsv(assessed));
      else outputs.push(`== ${tenant.name} ==\n${renderInventoryTable(inventory, assessed, { all: options.all ?? false })}\n`);
      ctx.logger.info({ tenant: tenant.name, requests: graph.stats.requests }, 'inventory done');
    } catch (e: unknown) {
      const err = toCredwatchError(e);
      ctx.logger.error({ err, tenant: tenant.name }, 'inventory failed');
      outputs.push(`== ${tenant.name} ==\nInventory NOT collected (${err.code}): ${err.message}\nFix: ${err.fix}\n`);
      exit = EXIT.ERROR;
    }
  }
  // One byte order mark for the whole output, not one per tenant: it is one file (--out, or stdout
  // redirected to one), and a mark in the middle would land in a cell.
  const joined = outputs.join('\n');
  const text = options.format === 'csv' ? csvFileText(joined) : joined;
  // The inventory names every app, credential and mailbox grant: for this account's eyes only.
  if (options.out) await writePrivateFile(options.out, text);
  else write(text);
  return exit;
}

/** Entry from the command line (command.ts). */
export function runInventory(command: Command): Promise<void> {
  return runAction(command, inventoryOptions, async (options, globals) => inventoryCommand(await cliContext(globals), options, writeStdout));
}
