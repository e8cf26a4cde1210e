import type { Command } from 'commander';

/** `credwatch demo`, defined without loading it: its code is imported when it runs. */
export function addDemoCommand(program: Command): void {
  program
    .command('demo')
    .description('start the built-in tenant simulator with the Mimecast-like scenario and run credwatch against it')
    .action(async (_options: unknown, command: Command) => (await import('./action.js')).runDemoCommand(command));
}
