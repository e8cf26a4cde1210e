/**
 * What the stages of one scan share, and the small result shapes they return. A stage reads or
 * judges one thing, catches its own failure and says what happened in its result; it never writes
 * into another stage's result or into the summary. `runScan` wires the stages in order and builds
 * the summary from their results (src/scan/summary.ts).
 */
import type { RuleSummary } from '../../alerts/payload.js';
import type { ChannelConfig, Config, TenantConfig } from '../../config/types.js';
import type { ScanError, SourceRecord } from '../../contract.js';
import { toCredwatchError } from '../../errors.js';
import type { GraphApi } from '../../graph/client.js';
import type { Logger } from '../../logging.js';
import type { Rule } from '../../rules/types.js';
import type { StateStore } from '../../state/types.js';
import { emptyTally, type CommitContext, type CommitTally } from '../commit.js';
import type { RuleErrorCount } from '../rules-run.js';
import type { ScanWindow } from '../window.js';

/** Everything the stages of one scan share, fixed when the scan starts. */
export interface ScanRun {
  tenant: TenantConfig;
  config: Config;
  store: StateStore;
  /** The scan's logger (tenant and scan start bound). */
  logger: Logger;
  /** The scan's start: every stage reads its window, judges and commits as of this instant. */
  now: Date;
  rules: readonly Rule[];
  /** Channels that can deliver now; alerts are not queued for the others. */
  channels: readonly ChannelConfig[];
  /** A rule's metadata for alert payloads. */
  rule: (ruleId: string) => RuleSummary;
  /** When this scan's seen ids may be forgotten (src/scan/window.ts). */
  seenExpiresAt: Date;
}

/** A scan run plus the Graph client, for the stages that read the tenant. */
export interface ReadingRun extends ScanRun {
  graph: GraphApi;
}

/** What every stage reports: the sources it read (in order) and what failed. */
export interface StageReport {
  sources: SourceRecord[];
  errors: ScanError[];
}

/** A stage that judged and stored findings also reports what they came to. */
export interface JudgedReport extends StageReport {
  tally: CommitTally;
  ruleErrors: RuleErrorCount[];
}

/** A rule's metadata for alert payloads, by rule id; a rule no longer loaded is named by its id. */
export function ruleSummaries(rules: readonly Rule[]): (ruleId: string) => RuleSummary {
  const byId = new Map(rules.map((r) => [r.id, r]));
  return (id) => {
    const r = byId.get(id);
    return r
      ? { id, title: r.title, description: r.description, mitre: r.mitre, runbook: r.runbook, falsePositives: r.falsePositives }
      : { id, title: id, description: '', mitre: [], runbook: [], falsePositives: [] };
  };
}

/** A report with nothing in it: a stage that had nothing to do. */
export function emptyJudged(): JudgedReport {
  return { sources: [], errors: [], tally: emptyTally(), ruleErrors: [] };
}

/**
 * A failed stage as both an error and a failed source, logged: a failure is recorded with its
 * code, never reported as clean (README, "Detection").
 */
export function stageFailed(run: Pick<ScanRun, 'logger'>, stage: string, e: unknown): StageReport {
  const err = toCredwatchError(e);
  run.logger.error({ err, stage }, 'scan stage failed');
  return {
    errors: [{ stage, code: err.code, message: err.message }],
    sources: [{ source: stage, status: 'failed', errorCode: err.code, message: err.message }],
  };
}

/** A commit context with a tally of its own, so each stage's counts come back in its result. */
export function commitContext(run: ScanRun): CommitContext {
  return { store: run.store, config: run.config, channels: run.channels, rule: run.rule, now: run.now, tally: emptyTally() };
}

/**
 * What a log window could not cover, said out loud: records lost beyond the 30-day retention
 * (`DATA_GAP`) or a stored watermark ahead of the clock (docs/errors.md).
 */
export function windowErrors(stream: string, window: ScanWindow): ScanError[] {
  const errors: ScanError[] = [];
  if (window.gap)
    errors.push({
      stage: stream,
      code: 'DATA_GAP',
      message: `${window.gap.reason}: records from ${window.gap.from.toISOString()} to ${window.gap.to.toISOString()} could not be read`,
    });
  if (window.futureWatermark)
    errors.push({
      stage: stream,
      code: 'WATERMARK_IN_FUTURE',
      message: `stored watermark ${window.futureWatermark.toISOString()} is ahead of the clock; re-read the overlap instead`,
    });
  return errors;
}
