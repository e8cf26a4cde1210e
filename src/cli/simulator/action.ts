import type { Command } from 'commander';
import { z } from 'zod';
import { runSimulatorCommand } from '../../demo.js';
import { runAction, writeStdout } from '../action.js';
import { port } from '../option-schemas.js';

/** `credwatch simulator`'s options, as commander hands them over. */
export const simulatorOptions = z.strictObject({ port: port(), scenario: z.enum(['mimecast', 'quiet']) });

/** `credwatch simulator`: runs until Ctrl+C, with the files to point credwatch at it. */
export function runSimulatorCliCommand(command: Command): Promise<void> {
  return runAction(command, simulatorOptions, (options) => runSimulatorCommand({ write: writeStdout, ...options }));
}
