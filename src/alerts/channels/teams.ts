/**
 * Microsoft Teams through a Workflows "When a Teams webhook request is received" URL (Office 365
 * connector webhooks are retired). Workflows answers 202 once it has queued the flow run; that
 * proves the request was accepted, not that the card reached the channel.
 */
import type { Severity } from '../../events.js';
import type { FetchLike } from '../../graph/http.js';
import { postJson } from './http.js';
import type { TeamsMessage } from './teams-adaptive.js';
import { renderAlertMessage } from './teams-card.js';
import { renderDigestMessage } from './teams-digest.js';
import type { Channel } from './types.js';

/** Teams throttles a webhook above about four requests per second, so posts start at least this far apart. */
export const TEAMS_MIN_SPACING_IN_MS = 250;

export interface TeamsChannelOptions {
  name: string;
  minSeverity: Severity;
  /** The Workflows trigger URL. It carries a signature (`sig=`): a secret, never logged or put in an error. */
  url: string;
  fetch: FetchLike;
  now: () => Date;
  /** Pending alerts above which one digest card is sent instead (the outbox's default applies when omitted). */
  digestThreshold?: number;
  /** Injected by tests; defaults to a timer. */
  sleep?: (ms: number) => Promise<void>;
}

/** A channel that posts one Adaptive Card per alert (or one digest card), paced for Teams' rate limit. */
export function createTeamsChannel(options: TeamsChannelOptions): Channel {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  // The next moment a post may start. Reserved synchronously, so concurrent sends queue up
  // behind each other instead of all reading the same free slot.
  let nextStartAt = 0;

  const post = async (message: TeamsMessage): Promise<void> => {
    const now = options.now().getTime();
    const startAt = Math.max(now, nextStartAt);
    nextStartAt = startAt + TEAMS_MIN_SPACING_IN_MS;
    if (startAt > now) await sleep(startAt - now);
    await postJson({
      fetch: options.fetch,
      url: options.url,
      body: JSON.stringify(message),
      now: options.now,
      channel: `Teams channel "${options.name}"`,
    });
  };

  return {
    name: options.name,
    type: 'teams',
    minSeverity: options.minSeverity,
    digestThreshold: options.digestThreshold,
    send: (alert) => post(renderAlertMessage(alert)),
    sendDigest: async (alerts) => {
      if (alerts.length > 0) await post(renderDigestMessage(alerts));
    },
  };
}
