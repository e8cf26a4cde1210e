import { Option, type Command } from 'commander';

/** `credwatch inventory`, defined without loading it: its code is imported when it runs. */
export function addInventoryCommand(program: Command): void {
  program
    .command('inventory')
    .description('list every app and service principal with its credentials and mailbox reach')
    .option('-t, --tenant <name>', 'only this tenant')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'csv']).default('table'))
    .option('--all', 'also list apps without credentials or mailbox access')
    .option('-o, --out <file>', 'write to a file instead of stdout')
    .action(async (_options: unknown, command: Command) => (await import('./action.js')).runInventory(command));
}
