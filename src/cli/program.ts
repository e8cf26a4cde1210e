import { Command, Option } from 'commander';
import { LOG_LEVELS } from '../config/log-levels.js';
import { addDemoCommand } from './demo/command.js';
import { addDoctorCommand } from './doctor/command.js';
import { EXIT } from './exit-codes.js';
import { addInventoryCommand } from './inventory/command.js';
import { addReportCommand } from './report/command.js';
import { addScanCommand } from './scan/command.js';
import { addServeCommand } from './serve/command.js';
import { addSimulatorCommand } from './simulator/command.js';
import { addStatusCommand } from './status/command.js';
import { cliVersion } from './version.js';

/**
 * The credwatch command line: global options and every command's definition. Each command lives in
 * its own folder (`command.ts` defines it, `options.ts` validates its options with zod, `action.ts`
 * runs it); only the definitions load here, so `--help`, `--version` and a mistyped command cost
 * little more than starting Node (`npm run bench cli`). A command's code — and zod, the config
 * schema, MSAL, the Graph client, pino — is imported when that command runs.
 */
export function buildProgram(): Command {
  const program = new Command('credwatch')
    .description('Watches Microsoft 365 app credentials: mailbox exposure inventory and vendor sign-in correlation.')
    .version(cliVersion(), '-V, --version', 'print the version')
    .option('-c, --config <path>', 'configuration file (default: $CREDWATCH_CONFIG)')
    .addOption(new Option('--log-level <level>', 'override the configured log level (logs go to stderr)').choices(LOG_LEVELS))
    .option('--insecure-tls-i-know', 'run even though NODE_TLS_REJECT_UNAUTHORIZED=0 turns certificate checks off (throwaway tests only)')
    .showHelpAfterError()
    // Commander exits 1 on a mistyped command, option or choice; the exit codes promise 2 for a
    // wrong command line (README), so a scheduler can tell it from a tenant that failed.
    .exitOverride((err) => process.exit(err.exitCode === 0 ? EXIT.OK : EXIT.CONFIG));
  for (const add of [
    addInventoryCommand,
    addScanCommand,
    addReportCommand,
    addServeCommand,
    addStatusCommand,
    addDoctorCommand,
    addDemoCommand,
    addSimulatorCommand,
  ]) {
    add(program);
  }
  return program;
}
