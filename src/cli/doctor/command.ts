import type { Command } from 'commander';

/** `credwatch doctor`, defined without loading it: its code is imported when it runs. */
export function addDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description('check configuration, allowlist files, token, granted permissions, licence and reachability, with a fix for each problem')
    .action(async (_options: unknown, command: Command) => (await import('./action.js')).runDoctorCommand(command));
}
