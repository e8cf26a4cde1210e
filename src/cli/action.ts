/**
 * What every command does around its own work: refuse a process whose certificate checks are off,
 * validate the command's options (a usage error exits 2 naming the flag and what it accepts), run
 * the command, and turn what it returns or throws into the exit code. Loaded with the command, never
 * for `--help`.
 */
import type { Command } from 'commander';
import type { z } from 'zod';
import { ALLOW_INSECURE_TLS_FLAG, checkTlsEnvironment } from '../config/tls-env.js';
import { toCredwatchError } from '../errors.js';
import type { GlobalOptions } from './context.js';
import { exitCodeOf } from './exit-codes.js';
import { usageError } from './usage.js';

/** A command's output: stdout, ending in a newline. */
export const writeStdout = (text: string): void => {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
};

/** Text that must not mix into the output (`--json`): stderr, ending in a newline. */
export const writeStderr = (text: string): void => {
  process.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
};

/** Validates `command`'s options with `schema`, then runs `work` and sets the exit code from it. */
export async function runAction<S extends z.ZodType>(
  command: Command,
  schema: S,
  work: (options: z.output<S>, globals: GlobalOptions) => Promise<number>,
): Promise<void> {
  const parsed = schema.safeParse(command.opts());
  if (!parsed.success) usageError(command, parsed.error.issues);
  const globals = command.optsWithGlobals<GlobalOptions>();
  try {
    const warning = checkTlsEnvironment(process.env, { allowed: globals.insecureTlsIKnow === true, howToAllow: `pass ${ALLOW_INSECURE_TLS_FLAG}` });
    if (warning !== undefined) writeStderr(`credwatch: WARNING: ${warning}`);
    process.exitCode = await work(parsed.data, globals);
  } catch (e: unknown) {
    const err = toCredwatchError(e);
    // CONFIG_INVALID's message already lists every problem with its path, one per line.
    writeStderr(`credwatch: ${err.code}: ${err.message}\nFix: ${err.fix}`);
    if (err.code === 'INTERNAL' && e instanceof Error && e.stack) writeStderr(e.stack);
    process.exitCode = exitCodeOf(err.code);
  }
}
