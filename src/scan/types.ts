import type { Channel } from '../alerts/channels/types.js';
import type { DeliverySummary } from '../alerts/deliver.js';
import type { Config, TenantConfig } from '../config/types.js';
import type { ScanError, Severity, SourceRecord } from '../contract.js';
import type { TenantConnection } from '../graph/connect.js';
import type { FetchLike } from '../graph/http.js';
import type { Logger } from '../logging.js';
import type { AllowlistHttp } from '../networks/index.js';
import type { Rule } from '../rules/types.js';
import type { StateStore } from '../state/types.js';
import type { RuleErrorCount } from './rules-run.js';
import type { BacklogReport } from './backlog.js';

/** Everything runScan needs, injected: the CLI, node-cron, Azure Functions and tests build this. */
export interface ScanDeps {
  config: Config;
  store: StateStore;
  connect: (tenant: TenantConfig) => TenantConnection;
  /** The channels that can deliver (see createChannels). */
  channels: ReadonlyMap<string, Channel>;
  /**
   * @deprecated Unused. URL allowlist sources connect through their own guarded client (see
   * `allowlistHttp`), which no `fetch` can be: it must connect to the address it checked. Kept
   * optional so entry points compile until they stop passing it.
   */
  fetch?: FetchLike;
  /** How URL allowlist sources reach the network; by default the system resolver and the tenant's trust anchors. */
  allowlistHttp?: AllowlistHttp;
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

/** What one scan of one tenant did; printed by `credwatch scan`, logged and recorded (src/scan/summary.ts). */
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
  /** Every source the scan read or tried to, in stage order; anything not `complete` is unknown, not clean. */
  sources: SourceRecord[];
  ruleErrors: RuleErrorCount[];
  errors: ScanError[];
  /** Minutes between now and each stream's committed watermark (undefined: never committed). */
  watermarkLagInMinutes: Record<string, number | undefined>;
  /**
   * Log time that should have been read for good and was not yet, per stream (src/scan/stages/signins.ts):
   * a first backfill or a catch-up worked through over several deadline-bounded scans.
   */
  backlog: { signIns?: BacklogReport };
  graphRequests: number;
  /**
   * Blast-radius queries this scan opened and polled, and the alerts whose blast radius it settled
   * (known or unknown) or left pending (docs/blast-radius.md). Absent from summaries of older scans.
   */
  blastRadius?: { opened: number; polled: number; known: number; unknown: number; pending: number };
}
