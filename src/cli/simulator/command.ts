import { Option, type Command } from 'commander';

/** `credwatch simulator`, defined without loading it: its code is imported when it runs. */
export function addSimulatorCommand(program: Command): void {
  program
    .command('simulator')
    .description('run the tenant simulator on 127.0.0.1 for trying credwatch by hand (see README)')
    .option('-p, --port <port>', 'port (0: any free port)', '8443')
    .addOption(new Option('-s, --scenario <name>', 'scenario').choices(['mimecast', 'quiet']).default('mimecast'))
    .action(async (_options: unknown, command: Command) => (await import('./action.js')).runSimulatorCliCommand(command));
}
