import type { Command } from 'commander';

/** `credwatch report`, defined without loading it: its code is imported when it runs. */
export function addReportCommand(program: Command): void {
  program
    .command('report')
    .description('write the weekly exposure report (HTML, JSON, CSV) of each tenant from the state store')
    .option('-t, --tenant <name>', 'only this tenant')
    .option('-w, --week <YYYY-Www>', 'ISO week to report on (default: the last complete week)')
    .option('-o, --out <dir>', 'directory to write the files to', './reports')
    .action(async (_options: unknown, command: Command) => (await import('./action.js')).runReportCommand(command));
}
