import type { ChannelConfig } from '../../config/types.js';
import type { GraphApi } from '../../graph/client.js';
import { createFetch, type FetchLike } from '../../graph/http.js';
import type { Logger } from '../../logging.js';
import { createEmailChannel } from './email.js';
import { createJsonlChannel } from './jsonl.js';
import { createStdoutChannel } from './stdout.js';
import { createTeamsChannel } from './teams.js';
import type { Channel } from './types.js';
import { createWebhookChannel } from './webhook.js';

export type { Channel } from './types.js';

export interface ChannelDeps {
  logger: Logger;
  /** Where the stdout channel writes (tests and the demo capture it). */
  write?: (text: string) => void;
  now?: () => Date;
  /** For Teams and webhooks; defaults to a fetch with Node's public roots. */
  fetch?: FetchLike;
  /** The Graph client of a configured tenant, by name: email is sent with the sender tenant's identity. */
  graphFor?: (tenantName: string) => GraphApi;
}

/**
 * Builds every configured channel. Secrets (webhook URLs, signing keys) leave their wrappers only
 * here, on their way into the channel that uses them. An email channel without a way to reach its
 * sender tenant's Graph is reported as unavailable rather than queued into a void.
 */
export function createChannels(configs: readonly ChannelConfig[], deps: ChannelDeps): { channels: Map<string, Channel>; unavailable: string[] } {
  const channels = new Map<string, Channel>();
  const unavailable: string[] = [];
  const now = deps.now ?? (() => new Date());
  const fetch = deps.fetch ?? createFetch({ timeoutInMs: 30_000 });
  for (const c of configs) {
    const common = { name: c.name, minSeverity: c.minSeverity, digestThreshold: c.digestThreshold };
    switch (c.type) {
      case 'stdout':
        channels.set(c.name, createStdoutChannel({ name: c.name, minSeverity: c.minSeverity, ...(deps.write ? { write: deps.write } : {}) }));
        break;
      case 'jsonl':
        channels.set(c.name, createJsonlChannel({ name: c.name, minSeverity: c.minSeverity, path: c.path }));
        break;
      case 'teams':
        channels.set(c.name, createTeamsChannel({ ...common, url: c.url.reveal(), fetch, now }));
        break;
      case 'webhook':
        channels.set(c.name, createWebhookChannel({ ...common, url: c.url.reveal(), secret: c.secret.reveal(), fetch, now }));
        break;
      case 'email':
        if (deps.graphFor) channels.set(c.name, createEmailChannel({ ...common, graph: deps.graphFor(c.senderTenant), fromMailbox: c.fromMailbox, to: c.to }));
        else unavailable.push(`${c.name} (email: no Graph connection for tenant ${c.senderTenant})`);
        break;
    }
  }
  if (unavailable.length > 0) deps.logger.warn({ channels: unavailable }, 'channels not available; their alerts are not queued');
  return { channels, unavailable };
}
