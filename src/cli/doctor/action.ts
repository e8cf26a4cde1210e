import { renderDoctor, runDoctor } from '../doctor.js';
import type { CliContext } from './context.js';
import { EXIT } from './exit-codes.js';

/** `credwatch doctor`: prints every check with a fix; non-zero when anything is wrong. */
export async function doctorCommand(ctx: CliContext, write: (text: string) => void): Promise<number> {
  write(`Configuration: valid (${ctx.config.configPath ?? 'inline'}), ${ctx.config.tenants.length} tenant(s)\n`);
  const report = await runDoctor(ctx);
  write(`${renderDoctor(report)}\n`);
  return report.ok ? EXIT.OK : EXIT.ERROR;
}
