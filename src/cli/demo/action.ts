import type { Command } from 'commander';
import { z } from 'zod';
import { runDemo } from '../../demo.js';
import { runAction, writeStdout } from '../action.js';
import { cliLogger } from '../context.js';

/** `credwatch demo`: the simulator, a scan, the inventory and a report, against one process's memory. */
export function runDemoCommand(command: Command): Promise<void> {
  return runAction(command, z.strictObject({}), (_options, globals) => runDemo({ write: writeStdout, logger: cliLogger(globals.logLevel ?? 'warn') }));
}
