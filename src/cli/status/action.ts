import type { Command } from 'commander';
import { safeText } from '../../render/text.js';
import { describeBacklog, recordedBacklog, type BacklogReport } from '../../scan/backlog.js';
import { openStateStore } from '../../state/index.js';
import { runAction, writeStdout } from '../action.js';
import { cliContext, type CliContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { statusOptions } from './options.js';

/** What is left of a first backfill or a catch-up (src/scan/backlog.ts). */
function backlogLine(b: BacklogReport | undefined): string {
  if (b === undefined) return 'not recorded';
  if (b.minutes === 0) return 'none';
  return `${describeBacklog(b)}${b.growing ? ' — GROWING' : ''}`;
}

/**
 * `credwatch status`: per tenant, the last scan's time and result and the watermark lag, from the
 * scan history in the state store. Exit 1 when a tenant has no scan in the last `staleAfterInMs`
 * or its last scan had errors: a monitor that stopped must be as loud as one that fails.
 */
export async function statusCommand(ctx: CliContext, options: { staleAfterInMs: number }, write: (text: string) => void): Promise<number> {
  const store = await openStateStore(ctx.config.state, { baseDir: ctx.config.baseDir });
  const now = new Date();
  let exit: number = EXIT.OK;
  try {
    for (const tenant of ctx.config.tenants) {
      const scans = await store.listScans(tenant.name, new Date(now.getTime() - 30 * 86_400_000), new Date(now.getTime() + 60_000));
      const last = scans.at(-1);
      const lag = await store.getWatermark(tenant.name, 'signIns');
      if (!last) {
        write(`${tenant.name}: NO SCAN in the last 30 days`);
        exit = EXIT.ERROR;
        continue;
      }
      const ageInMs = now.getTime() - last.finishedAt.getTime();
      const ageInMinutes = Math.round(ageInMs / 60_000);
      const stale = ageInMs > options.staleAfterInMs;
      if (stale || last.errors.length > 0) exit = EXIT.ERROR;
      write(
        [
          `${tenant.name}: last scan ${last.finishedAt.toISOString()} (${ageInMinutes} min ago${stale ? ', OVERDUE' : ''}), ${last.errors.length === 0 ? 'ok' : `${last.errors.length} error(s)`}`,
          `  sign-in watermark lag: ${lag ? `${Math.round((now.getTime() - lag.getTime()) / 60_000)} min` : 'never committed'}`,
          `  sign-in backlog: ${backlogLine(recordedBacklog(last.summaryJson))}`,
          ...last.errors.slice(0, 5).map((e) => `  ! ${e.stage}: ${e.code} ${safeText(e.message, 160)}`),
        ].join('\n'),
      );
    }
  } finally {
    await store.close();
  }
  return exit;
}

/** Entry from the command line (command.ts). */
export function runStatusCommand(command: Command): Promise<void> {
  return runAction(command, statusOptions, async (options, globals) =>
    statusCommand(await cliContext(globals), { staleAfterInMs: options.staleAfter }, writeStdout),
  );
}
