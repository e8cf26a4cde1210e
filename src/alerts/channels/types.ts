import type { Severity } from '../../events.js';
import type { AlertPayload } from '../payload.js';

/**
 * One way alerts leave credwatch. `send` resolves only when the channel accepted the alert; it
 * throws CHANNEL_UNAVAILABLE (retry later, optionally with `details.retryAfterInMs`) or
 * CHANNEL_REJECTED (permanent). The outbox marks an entry sent only after `send` resolved.
 */
export interface Channel {
  readonly name: string;
  readonly type: string;
  readonly minSeverity: Severity;
  send(alert: AlertPayload): Promise<void>;
  /**
   * One message for many alerts, used when more than `digestThreshold` are due at once so a flood
   * becomes a summary. Channels without it get the alerts one by one.
   */
  sendDigest?(alerts: readonly AlertPayload[]): Promise<void>;
  /** Pending alerts above which a digest is sent instead (default 10). */
  readonly digestThreshold?: number;
}
