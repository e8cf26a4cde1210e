#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import type { CliContext, GlobalOptions } from './cli/context.js';
import { EXIT } from './cli/exit-codes.js';
import { cliVersion } from './cli/version.js';

/**
 * The credwatch command. Each subcommand only loads configuration, builds dependencies and calls
 * one function; everything it prints goes to stdout, logs go to stderr.
 *
 * Only commander is imported up front. A command's module — and the context, which brings config
 * validation, MSAL, the Graph client and pino — is imported when that command runs, so `--help`,
 * `--version` and a mistyped command cost little more than starting Node (`npm run bench cli`).
 */
const write = (text: string) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

async function run(action: () => Promise<number>): Promise<void> {
  try {
    process.exitCode = await action();
  } catch (e: unknown) {
    const { toCredwatchError } = await import('./errors.js');
    const err = toCredwatchError(e);
    // CONFIG_INVALID's message already lists every problem with its path, one per line.
    process.stderr.write(`credwatch: ${err.code}: ${err.message}\nFix: ${err.fix}\n`);
    if (err.code === 'INTERNAL' && e instanceof Error && e.stack) process.stderr.write(`${e.stack}\n`);
    process.exitCode = err.code.startsWith('CONFIG_') ? EXIT.CONFIG : EXIT.ERROR;
  }
}

const program = new Command('credwatch')
  .description('Watches Microsoft 365 app credentials: mailbox exposure inventory and vendor sign-in correlation.')
  .version(cliVersion(), '-V, --version', 'print the version')
  .option('-c, --config <path>', 'configuration file (default: $CREDWATCH_CONFIG)')
  .option('--log-level <level>', 'override the configured log level (logs go to stderr)')
  .showHelpAfterError()
  // Commander exits 1 on a mistyped command, option or choice; the exit codes promise 2 for a
  // wrong command line (README), so a scheduler can tell it from a tenant that failed.
  .exitOverride((err) => process.exit(err.exitCode === 0 ? EXIT.OK : EXIT.CONFIG));

/** A whole number of minutes, 1 to 1440, or a usage error (exit 2). */
function minutes(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1 || n > 1440) throw new InvalidArgumentError('expected whole minutes from 1 to 1440');
  return n;
}

/** The configuration, logger and Graph connections every tenant command starts from. */
async function context(): Promise<CliContext> {
  const { cliContext } = await import('./cli/context.js');
  return cliContext(program.opts<GlobalOptions>());
}

program
  .command('inventory')
  .description('list every app and service principal with its credentials and mailbox reach')
  .option('-t, --tenant <name>', 'only this tenant')
  .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
  .option('--all', 'also list apps without credentials or mailbox access')
  .option('-o, --out <file>', 'write to a file instead of stdout')
  .action((options: { tenant?: string; format: 'table' | 'json' | 'csv'; all?: boolean; out?: string }) =>
    run(async () => {
      const { inventoryCommand } = await import('./cli/inventory.js');
      return inventoryCommand(await context(), options, write);
    }),
  );

program
  .command('scan')
  .description('run one detection cycle for every configured tenant: sign-ins, audits, inventory changes, alerts')
  .option('-t, --tenant <name>', 'only this tenant')
  .option('--json', 'print the scan summaries as JSON')
  .option(
    '--max-run-minutes <minutes>',
    'read sign-ins for at most this long per tenant, leaving the rest of a backlog to the next scans (default: collection.maxRunMinutes)',
    minutes,
  )
  .action((options: { tenant?: string; json?: boolean; maxRunMinutes?: number }) =>
    run(async () => {
      const { scanCommand } = await import('./cli/scan.js');
      // A counter on a terminal for long backfills; nothing when stderr is a file or a pipe.
      const progress = process.stderr.isTTY ? (text: string) => process.stderr.write(text) : undefined;
      return scanCommand(await context(), options, write, progress);
    }),
  );

program
  .command('report')
  .description('write the weekly exposure report (HTML, JSON, CSV) of each tenant from the state store')
  .option('-t, --tenant <name>', 'only this tenant')
  .option('-w, --week <YYYY-Www>', 'ISO week to report on (default: the last complete week)')
  .option('-o, --out <dir>', 'directory to write the files to', './reports')
  .action((options: { tenant?: string; week?: string; out: string }) =>
    run(async () => {
      const { reportCommand } = await import('./cli/report.js');
      return reportCommand(await context(), options, write);
    }),
  );

program
  .command('serve')
  .description('run the configured schedules (scan, weekly report, allowlist refresh) until SIGTERM/SIGINT')
  .option('--report-dir <dir>', 'where the weekly report files go', 'reports')
  .option('--grace <seconds>', 'how long shutdown waits for a run in flight', '60')
  .action((options: { reportDir: string; grace: string }) =>
    run(async () => {
      const { serveCommand } = await import('./cli/serve.js');
      return serveCommand(await context(), { reportDir: options.reportDir, graceInMs: Number(options.grace) * 1000 }, write);
    }),
  );

program
  .command('status')
  .description("each tenant's last scan, its result and the sign-in watermark lag; exit 1 when overdue or failing")
  .option('--stale-after <minutes>', 'a tenant whose last scan is older than this is overdue', '60')
  .action((options: { staleAfter: string }) =>
    run(async () => {
      const { statusCommand } = await import('./cli/status.js');
      return statusCommand(await context(), { staleAfterInMinutes: Number(options.staleAfter) }, write);
    }),
  );

program
  .command('doctor')
  .description('check configuration, token, granted permissions, licence and reachability, with a fix for each problem')
  .action(() =>
    run(async () => {
      const { doctorCommand } = await import('./cli/doctor.js');
      return doctorCommand(await context(), write);
    }),
  );

program
  .command('demo')
  .description('start the built-in tenant simulator with the Mimecast-like scenario and run credwatch against it')
  .action(() =>
    run(async () => {
      const [{ runDemo }, { cliLogger }] = await Promise.all([import('./demo.js'), import('./cli/context.js')]);
      return runDemo({ write, logger: cliLogger(program.opts<GlobalOptions>().logLevel ?? 'warn') });
    }),
  );

program
  .command('simulator')
  .description('run the tenant simulator on 127.0.0.1 for trying credwatch by hand (see README)')
  .option('-p, --port <port>', 'port', '8443')
  .addOption(new Option('-s, --scenario <name>', 'scenario').choices(['mimecast', 'quiet']).default('mimecast'))
  .action((options: { port: string; scenario: 'mimecast' | 'quiet' }) =>
    run(async () => {
      const { runSimulatorCommand } = await import('./demo.js');
      return runSimulatorCommand({ write, port: Number(options.port), scenario: options.scenario });
    }),
  );

await program.parseAsync(process.argv);
