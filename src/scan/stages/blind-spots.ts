/**
 * The blind-spot stage: sources this scan could not read become `collection-failing` alerts,
 * through the same outbox and channels as detections (README, "Blind spots are alerts too").
 * Unattended, nobody reads the error log, and a blinded monitor must say so. It runs after every
 * reading stage, so each one's failure is known, and before delivery, so the alert leaves now.
 */
import { toCredwatchError } from '../../errors.js';
import { worstFirst, type SourceRecord } from '../../contract.js';
import type { RuleContext } from '../../rules/types.js';
import { commitBatch, emptyTally, mergeTally } from '../commit.js';
import { collectionHealth } from '../health.js';
import { judge, RuleErrors } from '../rules-run.js';
import { commitContext, type JudgedReport, type ScanRun } from './stage.js';

/**
 * What the stage raised. Its `tally.raised` is always 0: raised counts detections (what `credwatch
 * scan` exits 3 for), and a failing source keeps exit code 1 on every scan, notified or not. It
 * reports no sources of its own; a failure to store the alerts is an error of stage `health`.
 */
export type BlindSpotResult = JudgedReport;

/**
 * Judges this scan's failed sources (with their run of failures from the recorded scans) and
 * commits the resulting alerts, worst first so the alert's headline is its most severe finding.
 */
export async function blindSpotStage(run: ScanRun, context: RuleContext, sources: readonly SourceRecord[]): Promise<BlindSpotResult> {
  const ruleErrors = new RuleErrors();
  const tally = emptyTally();
  try {
    const vendors = run.config.vendors.map((v) => v.name);
    const inputs = await collectionHealth(run.store, run.tenant, vendors, sources, run.now);
    const findings = judge(
      run.rules,
      inputs.map((health) => ({ type: 'collectionHealth' as const, health })),
      context,
      run.logger,
      ruleErrors,
    );
    if (findings.length > 0) {
      const commit = commitContext(run);
      await commitBatch(commit, run.tenant.name, 'health', [...findings].sort(worstFirst), { seenExpiresAt: run.seenExpiresAt });
      mergeTally(tally, commit.tally, { raised: false });
    }
    return { sources: [], errors: [], tally, ruleErrors: ruleErrors.list() };
  } catch (e: unknown) {
    const err = toCredwatchError(e);
    run.logger.error({ err }, 'collection-failing alerts not stored');
    return { sources: [], errors: [{ stage: 'health', code: err.code, message: err.message }], tally, ruleErrors: ruleErrors.list() };
  }
}
