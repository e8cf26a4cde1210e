import type { ChannelConfig } from '../../config/types.js';
import type { Logger } from '../../logging.js';
import { createJsonlChannel } from './jsonl.js';
import { createStdoutChannel } from './stdout.js';
import type { Channel } from './types.js';

export type { Channel } from './types.js';

export interface ChannelDeps {
  logger: Logger;
  /** Where the stdout channel writes (tests and the demo capture it). */
  write?: (text: string) => void;
}

/**
 * The configured channels this version can deliver to. Teams, email and webhook arrive with the
 * alert-delivery milestone; until then they are named in a warning, and alerts for them are not
 * queued (a queue nobody drains would look like an outage).
 */
export function createChannels(configs: readonly ChannelConfig[], deps: ChannelDeps): { channels: Map<string, Channel>; unavailable: string[] } {
  const channels = new Map<string, Channel>();
  const unavailable: string[] = [];
  for (const c of configs) {
    if (c.type === 'stdout') channels.set(c.name, createStdoutChannel({ name: c.name, minSeverity: c.minSeverity, ...(deps.write ? { write: deps.write } : {}) }));
    else if (c.type === 'jsonl') channels.set(c.name, createJsonlChannel({ name: c.name, minSeverity: c.minSeverity, path: c.path }));
    else unavailable.push(`${c.name} (${c.type})`);
  }
  if (unavailable.length > 0) deps.logger.warn({ channels: unavailable }, 'channels not available in this version; their alerts are not queued');
  return { channels, unavailable };
}
