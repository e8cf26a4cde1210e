import type { Command } from 'commander';
import { z } from 'zod';
import { renderDoctor, runDoctor } from '../../doctor.js';
import { runAction, writeStdout } from '../action.js';
import { cliContext, type CliContext } from '../context.js';
import { EXIT } from '../exit-codes.js';

/** `credwatch doctor`: prints every check with a fix; non-zero when anything is wrong. */
export async function doctorCommand(ctx: CliContext, write: (text: string) => void): Promise<number> {
  write(`Configuration: valid (${ctx.config.configPath ?? 'inline'}), ${ctx.config.tenants.length} tenant(s)\n`);
  const report = await runDoctor(ctx);
  write(`${renderDoctor(report)}\n`);
  return report.ok ? EXIT.OK : EXIT.ERROR;
}

/** Entry from the command line (command.ts). */
export function runDoctorCommand(command: Command): Promise<void> {
  return runAction(command, z.strictObject({}), async (_options, globals) => doctorCommand(await cliContext(globals), writeStdout));
}
