/**
 * The scan summary, built from the stages' results and nothing else: what `credwatch scan` prints,
 * every runner logs, and the `scans` row keeps for the weekly report's data-collection health, the
 * status commands and the next scan's blind-spot stage (docs/state.md, "What is stored").
 * `assembleSummary` is pure, so what a summary says about given stage results is testable without
 * a tenant.
 */
import { severityCounts, type SourceRecord } from '../contract.js';
import { toCredwatchError } from '../errors.js';
import type { Logger } from '../logging.js';
import type { StateStore } from '../state/types.js';
import { emptyTally, mergeTally } from './commit.js';
import { RuleErrors } from './rules-run.js';
import type { AllowlistStageResult } from './stages/allowlists.js';
import type { AuditStageResult } from './stages/audits.js';
import type { BlastRadiusResult } from './stages/blast-radius.js';
import type { BlindSpotResult } from './stages/blind-spots.js';
import type { DeliveryResult } from './stages/delivery.js';
import type { InventoryFindingsResult } from './stages/inventory-findings.js';
import type { InventoryStageResult } from './stages/inventory.js';
import type { SignInStageResult } from './stages/signins.js';
import type { StageReport } from './stages/stage.js';
import type { ScanSummary } from './types.js';

/** Every stage's result, by stage, in the order the scan runs them. */
export interface StageResults {
  inventory: InventoryStageResult;
  allowlists: AllowlistStageResult;
  audits: AuditStageResult;
  signIns: SignInStageResult;
  /** Optional so summaries of stage results assembled without it (tests, older callers) still add up. */
  blastRadius?: BlastRadiusResult;
  inventoryFindings: InventoryFindingsResult;
  blindSpots: BlindSpotResult;
  delivery: DeliveryResult;
}

/** What the summary needs besides the stages: who, when, and what was read at the end. */
export interface ScanFacts {
  tenant: string;
  startedAt: Date;
  finishedAt: Date;
  watermarkLagInMinutes: ScanSummary['watermarkLagInMinutes'];
  graphRequests: number;
}

/** The streams whose watermark lag the summary shows. */
export const LAGGING_STREAMS = ['signIns', 'directoryAudits'] as const;

/** A summary with nothing read yet; also what a scan that failed before starting reports. */
export function emptySummary(tenant: string, now: Date): ScanSummary {
  return {
    tenant,
    startedAt: now,
    finishedAt: now,
    events: { signIns: 0, newSignIns: 0, audits: 0, newAudits: 0, quarantined: 0 },
    findings: severityCounts(),
    suppressed: 0,
    expiredSuppressions: [],
    alerts: { new: 0, updated: 0, notifications: 0, raised: 0 },
    delivery: { sent: 0, retrying: 0, failed: 0, errors: [] },
    sources: [],
    ruleErrors: [],
    errors: [],
    watermarkLagInMinutes: {},
    backlog: {},
    graphRequests: 0,
  };
}

/**
 * The sources the reading stages recorded, in scan order: the input of the blind-spot stage and
 * the summary's source list.
 */
export function sourcesOf(stages: readonly StageReport[]): SourceRecord[] {
  return stages.flatMap((s) => s.sources);
}

/** Adds up the stages' results into one summary; stage order is kept in sources and errors. */
export function assembleSummary(facts: ScanFacts, stages: StageResults): ScanSummary {
  const reports = [
    stages.inventory,
    stages.allowlists,
    stages.audits,
    stages.signIns,
    ...(stages.blastRadius ? [stages.blastRadius] : []),
    stages.inventoryFindings,
    stages.blindSpots,
  ];
  const judged = [stages.audits, stages.signIns, stages.inventoryFindings, stages.blindSpots];
  const tally = emptyTally();
  const ruleErrors = new RuleErrors();
  for (const s of judged) {
    // The blind-spot stage's raised is 0 by contract: operational alerts are not detections.
    mergeTally(tally, s.tally, { raised: true });
    ruleErrors.add(s.ruleErrors);
  }
  return {
    tenant: facts.tenant,
    startedAt: facts.startedAt,
    finishedAt: facts.finishedAt,
    events: {
      signIns: stages.signIns.events.signIns,
      newSignIns: stages.signIns.events.newSignIns,
      audits: stages.audits.events.audits,
      newAudits: stages.audits.events.newAudits,
      quarantined: stages.audits.events.quarantined + stages.signIns.events.quarantined,
    },
    findings: { ...tally.bySeverity },
    suppressed: tally.suppressed,
    expiredSuppressions: [...tally.expiredSuppressions.values()].map(
      (s) => `${s.rule} (${s.appId ?? s.network ?? s.credentialKeyId ?? ''}) expired ${s.expires.toISOString().slice(0, 10)}, owner ${s.owner}`,
    ),
    alerts: { new: tally.newAlerts, updated: tally.updatedAlerts, notifications: tally.notifications, raised: tally.raised },
    delivery: stages.delivery,
    sources: sourcesOf(reports),
    ruleErrors: ruleErrors.list(),
    errors: reports.flatMap((s) => s.errors),
    watermarkLagInMinutes: facts.watermarkLagInMinutes,
    backlog: stages.signIns.backlog ? { signIns: stages.signIns.backlog } : {},
    graphRequests: facts.graphRequests,
    ...(stages.blastRadius ? { blastRadius: stages.blastRadius.counts } : {}),
  };
}

/** Minutes between `now` and each stream's committed watermark; undefined when never committed. */
export async function watermarkLag(store: Pick<StateStore, 'getWatermark'>, tenant: string, now: Date): Promise<ScanSummary['watermarkLagInMinutes']> {
  const lag: ScanSummary['watermarkLagInMinutes'] = {};
  for (const stream of LAGGING_STREAMS) {
    const w = await store.getWatermark(tenant, stream);
    lag[stream] = w ? Math.round((now.getTime() - w.getTime()) / 60_000) : undefined;
  }
  return lag;
}

/** Delivery errors kept in the stored summary: every run adds a row, so it stays small (docs/state.md, "Retention"). */
const STORED_DELIVERY_ERRORS = 20;

/**
 * Stores the scan's sources, errors and summary. A failure is logged, never fatal: the scan's
 * windows are already committed, and failing the scan now would only hide its results.
 */
export async function recordScanOutcome(store: Pick<StateStore, 'recordScan'>, summary: ScanSummary, logger: Logger): Promise<void> {
  try {
    await store.recordScan({
      tenant: summary.tenant,
      startedAt: summary.startedAt,
      finishedAt: summary.finishedAt,
      sources: summary.sources,
      errors: summary.errors,
      // Sources are stored in their own column; the summary JSON does not repeat them.
      summaryJson: JSON.stringify({
        ...summary,
        sources: undefined,
        delivery: { ...summary.delivery, errors: summary.delivery.errors.slice(0, STORED_DELIVERY_ERRORS) },
      }),
    });
  } catch (e: unknown) {
    logger.error({ err: toCredwatchError(e) }, 'scan record not stored');
  }
}
