import type { Severity } from '../../events.js';
import { CredwatchError } from '../../errors.js';
import { appendPrivateFile } from '../../private-files.js';
import type { Channel } from './types.js';

/**
 * One JSON object per line (the AlertPayload schema), appended; JSON.stringify escapes everything.
 * A file (and directory) the channel creates is readable by credwatch's account only.
 */
export function createJsonlChannel(options: { name: string; minSeverity: Severity; path: string }): Channel {
  return {
    name: options.name,
    type: 'jsonl',
    minSeverity: options.minSeverity,
    send: async (alert) => {
      try {
        await appendPrivateFile(options.path, `${JSON.stringify(alert)}\n`);
      } catch (e: unknown) {
        throw new CredwatchError('CHANNEL_UNAVAILABLE', `Could not append to ${options.path}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
    },
  };
}
