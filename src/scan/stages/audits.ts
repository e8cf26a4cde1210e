/**
 * The directory-audit stage, in two steps because the rule context sits between them: the window
 * is read whole first (the context's "credential added, then used" needs every recent credential
 * change, seen before or not), then the records not seen before are judged and committed with the
 * window's watermark in one transaction (docs/state.md, "Crash guarantees").
 */
import type { AuditEvent } from '../../contract.js';
import type { RuleContext } from '../../rules/types.js';
import { readAudits } from '../audits.js';
import { commitBatch } from '../commit.js';
import { judge, RuleErrors } from '../rules-run.js';
import { rewindIfAhead } from '../clock.js';
import { scanWindow, type ScanWindow } from '../window.js';
import { commitContext, stageFailed, windowErrors, type JudgedReport, type ReadingRun, type ScanRun, type StageReport } from './stage.js';

const STREAM = 'directoryAudits';

/** The audit window as read: its records, or the failure that left it unread. */
export interface AuditRead extends StageReport {
  window: ScanWindow;
  /** Undefined when the window could not be read: nothing is judged and the watermark stays. */
  events: AuditEvent[] | undefined;
  /** Records set aside as unreadable (no id, bad dates). */
  quarantined: number;
}

/** What the audit stage read, judged and stored. */
export interface AuditStageResult extends JudgedReport {
  events: { audits: number; newAudits: number; quarantined: number };
}

/** Reads `[watermark − overlap, now − settle]` of the directory audits (src/scan/window.ts). */
export async function readAuditStage(run: ReadingRun): Promise<AuditRead> {
  const stored = await run.store.getWatermark(run.tenant.name, STREAM);
  // A clock that ran ahead once left the watermark in the future: moved back first (src/scan/clock.ts).
  const rewind = await rewindIfAhead(run.store, run.tenant.name, STREAM, stored?.getTime(), run.now, run.config.collection);
  const window = scanWindow(rewind.to ?? stored, run.now, run.config.collection);
  try {
    const read = await readAudits(run.graph, window.from, window.to);
    return { window, events: read.events, quarantined: read.quarantined.length, sources: [], errors: rewind.errors };
  } catch (e: unknown) {
    const failed = stageFailed(run, STREAM, e);
    return { window, events: undefined, quarantined: 0, sources: failed.sources, errors: [...rewind.errors, ...failed.errors] };
  }
}

/**
 * Judges the audits no earlier scan committed and commits them, their findings and the window's
 * watermark together. A failure leaves the watermark where it was, so the next scan reads the
 * window again; the ids already committed make that harmless.
 */
export async function judgeAuditStage(run: ScanRun, read: AuditRead, context: RuleContext): Promise<AuditStageResult> {
  const commit = commitContext(run);
  const ruleErrors = new RuleErrors();
  const sources = [...read.sources];
  const errors = [...read.errors];
  let newAudits = 0;
  if (read.events) {
    const audits = read.events;
    try {
      const unseen = new Set(
        await run.store.filterUnseen(
          run.tenant.name,
          STREAM,
          audits.map((a) => a.id),
        ),
      );
      const fresh = audits.filter((a) => unseen.has(a.id));
      newAudits = fresh.length;
      const findings = judge(
        run.rules,
        fresh.map((event) => ({ type: 'audit' as const, event })),
        context,
        run.logger,
        ruleErrors,
      );
      await commitBatch(commit, run.tenant.name, STREAM, findings, {
        seenIds: fresh.map((a) => a.id),
        seenExpiresAt: run.seenExpiresAt,
        watermark: read.window.to,
      });
      // Time read again after a bad clock, or lost to it, is named by collection-failing.
      const worst = errors.find((e) => e.code === 'DATA_GAP') ?? errors.find((e) => e.code === 'WATERMARK_IN_FUTURE');
      sources.push({
        source: STREAM,
        status: worst ? 'partial' : 'complete',
        items: audits.length,
        ...(worst ? { errorCode: worst.code, message: worst.message } : {}),
      });
    } catch (e: unknown) {
      const failed = stageFailed(run, STREAM, e);
      sources.push(...failed.sources);
      errors.push(...failed.errors);
    }
  }
  errors.push(...windowErrors(STREAM, read.window));
  return {
    sources,
    errors,
    tally: commit.tally,
    ruleErrors: ruleErrors.list(),
    events: { audits: read.events?.length ?? 0, newAudits, quarantined: read.quarantined },
  };
}
