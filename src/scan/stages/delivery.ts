/**
 * The delivery stage: sends what is due in the outbox, this scan's alerts and earlier retries
 * alike (docs/alerts.md). Delivery is at least once — an entry is marked sent only after its
 * channel accepted it — so it runs last, after every stage has queued what it found.
 */
import { deliverDue, type DeliverySummary } from '../../alerts/deliver.js';
import type { Channel } from '../../alerts/channels/types.js';
import type { ChannelConfig, Config } from '../../config/types.js';
import type { ScanRun } from './stage.js';

/** What was sent, is being retried or failed for good, with the channels' errors. */
export type DeliveryResult = DeliverySummary;

/** How the scan delivers: its channels, its clock, and whose alerts (see ScanDeps.deliver). */
export interface DeliveryOptions {
  channels: ReadonlyMap<string, Channel>;
  /** The injected clock, not the scan's start instant: by delivery time a scan may have run for minutes. */
  now: () => Date;
  deliver: 'all' | 'tenant' | undefined;
}

/**
 * Delivers every due entry, or only this tenant's when tenants are scanned in parallel (the
 * Function app) and must not send each other's.
 */
export function deliveryStage(run: Pick<ScanRun, 'store' | 'logger' | 'tenant'>, options: DeliveryOptions): Promise<DeliveryResult> {
  return deliverDue({
    store: run.store,
    channels: options.channels,
    now: options.now,
    logger: run.logger,
    ...(options.deliver === 'tenant' ? { tenant: run.tenant.name } : {}),
  });
}

/** The configured channels that can deliver now: alerts are queued only for these. */
export function deliverableChannels(config: Config, channels: ReadonlyMap<string, Channel>): ChannelConfig[] {
  return config.channels.filter((c) => channels.has(c.name));
}
