import { resolve } from 'node:path';
import type { Command } from 'commander';
import { toCredwatchError } from '../../errors.js';
import { safeText } from '../../render/text.js';
import { runReport } from '../../report/run.js';
import { renderReportHtml } from '../../report/html.js';
import { openStateStore } from '../../state/index.js';
import { runAction, writeStdout } from '../action.js';
import { cliContext, selectTenants, type CliContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { reportOptions } from './options.js';

export interface ReportCommandOptions {
  tenant?: string;
  /** ISO week `YYYY-Www`; default the last complete week. */
  week?: string;
  /** Directory for the files; default `./reports`. */
  out?: string;
}

/** Where `credwatch report` writes when `--out` is not given (relative to the working directory). */
export const DEFAULT_REPORT_DIR = 'reports';

/**
 * `credwatch report`: builds each tenant's weekly report from the state store and writes its files.
 * Exit 4 when some source was not collected completely that week (the report says what is unknown),
 * 1 when a tenant's report failed, 0 otherwise.
 */
export async function reportCommand(ctx: CliContext, options: ReportCommandOptions, write: (text: string) => void): Promise<number> {
  const tenants = selectTenants(ctx.config, options.tenant);
  const outDir = resolve(options.out ?? DEFAULT_REPORT_DIR);
  const store = await openStateStore(ctx.config.state, { baseDir: ctx.config.baseDir });
  let exit: number = EXIT.OK;
  try {
    for (const tenant of tenants) {
      try {
        const { report, files } = await runReport({ store, config: ctx.config, now: () => new Date(), logger: ctx.logger }, tenant, options.week, {
          outDir,
          renderHtml: renderReportHtml,
        });
        const paths = [files?.html, files?.json, files?.inventoryCsv, files?.findingsCsv].filter((p): p is string => p !== undefined);
        const unknown = report.health.filter((h) => h.status !== 'complete');
        write(
          [
            `${tenant.name} ${report.week}:`,
            ...paths.map((p) => `  ${p}`),
            ...(unknown.length > 0 ? [`  unknown (not collected completely): ${unknown.map((h) => `${safeText(h.source, 120)} ${h.status}`).join(', ')}`] : []),
          ].join('\n'),
        );
        if (unknown.length > 0 && exit === EXIT.OK) exit = EXIT.INCOMPLETE;
      } catch (e: unknown) {
        const err = toCredwatchError(e);
        ctx.logger.error({ err, tenant: tenant.name }, 'report failed');
        write(`Report for ${tenant.name} FAILED (${err.code}): ${err.message}\nFix: ${err.fix}`);
        exit = EXIT.ERROR;
      }
    }
  } finally {
    await store.close();
  }
  return exit;
}

/** Entry from the command line (command.ts); a bad --week is a usage error before anything is opened. */
export function runReportCommand(command: Command): Promise<void> {
  return runAction(command, reportOptions, async (options, globals) => reportCommand(await cliContext(globals), options, writeStdout));
}
