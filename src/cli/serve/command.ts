import type { Command } from 'commander';

/** `credwatch serve`, defined without loading it: its code is imported when it runs. */
export function addServeCommand(program: Command): void {
  program
    .command('serve')
    .description('run the configured schedules (scan, weekly report, allowlist refresh) until SIGTERM/SIGINT')
    .option('--report-dir <dir>', 'where the weekly report files go', 'reports')
    .option('--grace <duration>', 'how long shutdown waits for a run in flight: 30s, 5m; a plain number is seconds', '60')
    .action(async (_options: unknown, command: Command) => (await import('./action.js')).runServeCommand(command));
}
