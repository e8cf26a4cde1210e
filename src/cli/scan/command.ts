import type { Command } from 'commander';

/** `credwatch scan`, defined without loading it: its code is imported when it runs. */
export function addScanCommand(program: Command): void {
  program
    .command('scan')
    .description('run one detection cycle for every configured tenant: sign-ins, audits, inventory changes, alerts')
    .option('-t, --tenant <name>', 'only this tenant')
    .option('--json', 'print only the scan summaries, as JSON, on stdout (stdout channel alerts and failures go to stderr)')
    .option(
      '--max-run-minutes <duration>',
      'read sign-ins for at most this long per tenant (1 to 1440 whole minutes: 90, 90m, 2h), leaving the rest of a backlog to the next scans (default: collection.maxRunMinutes)',
    )
    .action(async (_options: unknown, command: Command) => (await import('./action.js')).runScanCommand(command));
}
