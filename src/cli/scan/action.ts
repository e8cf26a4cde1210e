import type { Command } from 'commander';
import { createChannels } from '../../alerts/channels/index.js';
import { toCredwatchError } from '../../errors.js';
import { tenantFetch } from '../../graph/connect.js';
import { emptySummary, runScan, type ScanSummary } from '../../scan/index.js';
import { renderScanSummary } from '../../scan/render.js';
import { openStateStore } from '../../state/index.js';
import { runAction, writeStderr, writeStdout } from '../action.js';
import { cliContext, selectTenants, type CliContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { scanOptions } from './options.js';

export interface ScanCommandOptions {
  tenant?: string;
  /** Only the summaries' JSON on stdout; everything else written goes to `io.err`. */
  json?: boolean;
  /** Overrides `collection.maxRunMinutes` for this run. */
  maxRunMinutes?: number;
}

/** Where `scan` writes: its output, text that must stay out of `--json` output, a progress counter. */
export interface ScanIo {
  out: (text: string) => void;
  err: (text: string) => void;
  progress?: (text: string) => void;
}

/**
 * `credwatch scan`: one cycle per tenant. Exit 3 when alerts were queued (even if something also
 * failed: the alert matters more), 1 when a stage failed, 5 when the only failures were tenants
 * another process was scanning (SCAN_IN_PROGRESS), 0 when clean and complete.
 *
 * With `--json`, stdout carries the summaries' JSON and nothing else, so `scan --json | jq` works
 * with any channel configured: the stdout channel's alerts and a tenant's failure text go to stderr
 * instead. Not dropped: the stdout channel marks an alert delivered once written, so it must land
 * somewhere a person or a log collector can still read it.
 */
export async function scanCommand(ctx: CliContext, options: ScanCommandOptions, io: ScanIo): Promise<number> {
  const { out, progress } = io;
  const write = options.json ? io.err : out;
  const store = await openStateStore(ctx.config.state, { baseDir: ctx.config.baseDir });
  const { channels } = createChannels(ctx.config.channels, { logger: ctx.logger, write, graphFor: ctx.graphFor });
  const summaries: ScanSummary[] = [];
  const config =
    options.maxRunMinutes === undefined ? ctx.config : { ...ctx.config, collection: { ...ctx.config.collection, maxRunMinutes: options.maxRunMinutes } };
  try {
    for (const tenant of selectTenants(ctx.config, options.tenant)) {
      try {
        summaries.push(
          await runScan(
            {
              config,
              store,
              connect: ctx.connect,
              channels,
              logger: ctx.logger,
              now: () => new Date(),
              fetch: tenantFetch(tenant),
              ...(progress ? { progress: (p) => progress(`\r${p.tenant}: ${p.stream} page ${p.pages}, ${p.events} events`) } : {}),
            },
            tenant,
          ),
        );
      } catch (e: unknown) {
        const err = toCredwatchError(e);
        ctx.logger.error({ err, tenant: tenant.name }, 'scan failed');
        write(`Scan of ${tenant.name} FAILED (${err.code}): ${err.message}\nFix: ${err.fix}\n`);
        summaries.push(failedSummary(tenant.name, err.code, err.message));
      }
    }
  } finally {
    progress?.('\r\u001b[K');
    await store.close();
  }
  out(options.json ? JSON.stringify(summaries, null, 2) : summaries.map(renderScanSummary).join('\n\n'));
  if (summaries.some((s) => s.alerts.raised > 0)) return EXIT.ALERTS;
  const failed = summaries.filter((s) => s.errors.length > 0 || s.sources.some((x) => x.status === 'failed' || x.status === 'unknown'));
  // Only skipped because another process is scanning: schedulers can tell "busy" from "broken".
  if (failed.length > 0 && failed.every((s) => s.sources.length === 0 && s.errors.every((e) => e.code === 'SCAN_IN_PROGRESS'))) return EXIT.IN_PROGRESS;
  if (failed.length > 0) return EXIT.ERROR;
  return EXIT.OK;
}

function failedSummary(tenant: string, code: string, message: string): ScanSummary {
  return { ...emptySummary(tenant, new Date()), errors: [{ stage: 'scan', code, message }] };
}

/** Entry from the command line (command.ts). */
export function runScanCommand(command: Command): Promise<void> {
  return runAction(command, scanOptions, async (options, globals) => {
    // A counter on a terminal for long backfills; nothing when stderr is a file or a pipe.
    const progress = process.stderr.isTTY ? (text: string) => process.stderr.write(text) : undefined;
    return scanCommand(await cliContext(globals), options, { out: writeStdout, err: writeStderr, ...(progress ? { progress } : {}) });
  });
}
