/**
 * Command-line mistakes found after commander parsed the line (an option's value, checked by the
 * command's zod schema) reported the way commander reports its own: the flag, the value, what it
 * accepts, then the command's usage; exit 2 (README: exit codes).
 */
import type { Command } from 'commander';
import type { z } from 'zod';
import { EXIT } from './exit-codes.js';

/** Prints one line per problem and the command's help, and exits 2. */
export function usageError(command: Command, issues: readonly z.core.$ZodIssue[]): never {
  const lines = issues.map((issue) => {
    const key = issue.path[0];
    const option = command.options.find((o) => o.attributeName() === key);
    if (option === undefined || typeof key !== 'string') return `error: ${issue.message}`;
    const value: unknown = command.getOptionValue(key);
    return `error: option '${option.flags}' argument '${String(value)}' is invalid: ${issue.message}.`;
  });
  return command.error(lines.join('\n'), { exitCode: EXIT.CONFIG, code: 'credwatch.invalidOptionArgument' });
}
