import type { Command } from 'commander';

/** `credwatch status`, defined without loading it: its code is imported when it runs. */
export function addStatusCommand(program: Command): void {
  program
    .command('status')
    .description("each tenant's last scan, its result and the sign-in watermark lag; exit 1 when overdue or failing")
    .option('--stale-after <duration>', 'a tenant whose last scan is older than this is overdue: 90m, 2h, 1d; a plain number is minutes', '60')
    .action(async (_options: unknown, command: Command) => (await import('./action.js')).runStatusCommand(command));
}
