import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Severity } from '../../events.js';
import { CredwatchError } from '../../errors.js';
import type { Channel } from './types.js';

/** One JSON object per line (the AlertPayload schema), appended; JSON.stringify escapes everything. */
export function createJsonlChannel(options: { name: string; minSeverity: Severity; path: string }): Channel {
  return {
    name: options.name,
    type: 'jsonl',
    minSeverity: options.minSeverity,
    send: async (alert) => {
      try {
        await mkdir(dirname(options.path), { recursive: true });
        await appendFile(options.path, `${JSON.stringify(alert)}\n`, 'utf8');
      } catch (e: unknown) {
        throw new CredwatchError('CHANNEL_UNAVAILABLE', `Could not append to ${options.path}: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
      }
    },
  };
}
