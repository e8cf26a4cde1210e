import type { Command } from 'commander';
import { createChannels } from '../../alerts/channels/index.js';
import { startServe } from '../../serve/index.js';
import { openStateStore } from '../../state/index.js';
import { runAction, writeStdout } from '../action.js';
import { cliContext, type CliContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { serveOptions } from './options.js';

/**
 * `credwatch serve`: runs until SIGTERM/SIGINT, then stops scheduling, lets a run in flight finish
 * (each scan commits page by page, so cutting one short loses nothing), closes the store, exits 0.
 */
export async function serveCommand(ctx: CliContext, options: { reportDir: string; graceInMs: number }, write: (text: string) => void): Promise<number> {
  const store = await openStateStore(ctx.config.state, { baseDir: ctx.config.baseDir });
  const { channels } = createChannels(ctx.config.channels, { logger: ctx.logger, write, graphFor: ctx.graphFor });
  const handle = startServe({
    config: ctx.config,
    store,
    connect: ctx.connect,
    channels,
    logger: ctx.logger,
    now: () => new Date(),
    reportDir: options.reportDir,
    graphFor: ctx.graphFor,
  });
  const signal = await new Promise<string>((resolve) => {
    process.once('SIGTERM', () => resolve('SIGTERM'));
    process.once('SIGINT', () => resolve('SIGINT'));
  });
  ctx.logger.info({ signal }, 'shutting down');
  await handle.stop(options.graceInMs);
  await store.close();
  return EXIT.OK;
}

/** Entry from the command line (command.ts). */
export function runServeCommand(command: Command): Promise<void> {
  return runAction(command, serveOptions, async (options, globals) =>
    serveCommand(await cliContext(globals), { reportDir: options.reportDir, graceInMs: options.grace }, writeStdout),
  );
}
