import type { DeliverySummary } from '../alerts/deliver.js';
import type { Channel } from '../alerts/channels/types.js';
import type { Config, TenantConfig } from '../config/types.js';
import type { Severity } from '../events.js';
import type { TenantConnection } from '../graph/connect.js';
import type { FetchLike } from '../graph/http.js';
import type { Logger } from '../logging.js';
import type { Rule } from '../rules/types.js';
import type { StateStore } from '../state/types.js';

/** Everything runScan needs, injected: the CLI, node-cron, Azure Functions and tests build this. */
export interface ScanDeps {
  config: Config;
  store: StateStore;
  connect: (tenant: TenantConfig) => TenantConnection;
  /** The channels that can deliver (see createChannels). */
  channels: ReadonlyMap<string, Channel>;
  /** For url allowlist sources. */
  fetch: FetchLike;
  logger: Logger;
  now: () => Date;
  rules?: readonly Rule[];
  /**
   * Whose due alerts a scan delivers: every tenant's (one process, the default) or only the scanned
   * tenant's (Azure Functions, where tenants are scanned in parallel and must not send each other's).
   */
  deliver?: 'all' | 'tenant';
  /** Called after each page of a long read (the CLI shows a counter on a terminal). */
  progress?: (p: { tenant: string; stream: string; pages: number; events: number }) => void;
}

export type SourceState = 'complete' | 'partial' | 'failed' | 'skipped' | 'stale' | 'unknown';

export interface ScanSource {
  source: string;
  status: SourceState;
  errorCode?: string;
  message?: string;
  items?: number;
}

/** What one scan of one tenant did; printed by `credwatch scan` and logged. */
export interface ScanSummary {
  tenant: string;
  startedAt: Date;
  finishedAt: Date;
  events: { signIns: number; newSignIns: number; audits: number; newAudits: number; quarantined: number };
  findings: Record<Severity, number>;
  suppressed: number;
  expiredSuppressions: string[];
  alerts: { new: number; updated: number; notifications: number; raised: number };
  delivery: DeliverySummary;
  sources: ScanSource[];
  ruleErrors: Array<{ ruleId: string; count: number; lastError: string }>;
  errors: Array<{ stage: string; code: string; message: string }>;
  /** Minutes between now and each stream's committed watermark (undefined: never committed). */
  watermarkLagInMinutes: Record<string, number | undefined>;
  graphRequests: number;
}
