/**
 * The sign-in stage: service-principal sign-ins over `[watermark − overlap, now − settle]`, page
 * by page (README, "Detection"). Each page is judged and committed on its own — its new event ids,
 * findings, alerts, outbox entries, aggregates and learned networks in one transaction — so memory
 * stays bounded by a page and a crash repeats at most the page in flight. The watermark moves only
 * after the last page is stored (docs/state.md, "Crash guarantees").
 */
import { readSignInPages } from '../../collect/signins.js';
import type { Finding, ScanError, SignInEvent } from '../../contract.js';
import type { GraphApi } from '../../graph/client.js';
import type { RuleContext } from '../../rules/types.js';
import type { LearnedNetwork, SignInAggregate } from '../../state/types.js';
import { commitBatch, type CommitContext } from '../commit.js';
import { judge, RuleErrors } from '../rules-run.js';
import { RETENTION_IN_DAYS, scanWindow } from '../window.js';
import { openSeenIds, seenKey, unseenSignIns, type SeenIds } from './signin-seen.js';
import { commitContext, stageFailed, windowErrors, type JudgedReport, type ReadingRun, type ScanRun, type StageReport } from './stage.js';

const STREAM = 'signIns';

/** What the sign-in stage read, judged and stored. */
export interface SignInStageResult extends JudgedReport {
  events: { signIns: number; newSignIns: number; quarantined: number };
}

/** Progress after each page, for a counter on a terminal. */
export type PageProgress = (p: { stream: string; pages: number; events: number }) => void;

interface PageRun {
  run: ScanRun;
  graph: GraphApi;
  context: RuleContext;
  commit: CommitContext;
  ruleErrors: RuleErrors;
  events: SignInStageResult['events'];
  /** Sign-ins left unjudged for a later scan, by why (a vendor's unknown allowlist, no inventory). */
  deferred: Map<string, number>;
  /** No inventory at all (neither read now nor kept from an earlier scan): nothing can be attributed. */
  deferAll: boolean;
  seenExpiresAt: Date;
  progress: PageProgress | undefined;
}

/** How the stage judges when part of what it needs is missing. */
export interface SignInStageOptions {
  progress?: PageProgress;
  /**
   * True when no inventory could be read and none is kept from an earlier scan: no sign-in can be
   * attributed to its vendor or its mailbox reach, so every one waits for a scan that can.
   */
  noInventory?: boolean;
}

/**
 * Reads, judges and commits the sign-in window. Counts of the pages read before a failure are
 * kept, and so is everything those pages committed.
 */
export async function signInStage(run: ReadingRun, context: RuleContext, options: SignInStageOptions = {}): Promise<SignInStageResult> {
  const watermark = await run.store.getWatermark(run.tenant.name, STREAM);
  const window = scanWindow(watermark, run.now, run.config.collection);
  const reader: PageRun = {
    run,
    graph: run.graph,
    context,
    commit: commitContext(run),
    ruleErrors: new RuleErrors(),
    events: { signIns: 0, newSignIns: 0, quarantined: 0 },
    deferred: new Map(),
    deferAll: options.noInventory === true,
    seenExpiresAt: seenExpiryFor(run, window.from),
    progress: options.progress,
  };
  let report: StageReport;
  try {
    await readPages(reader, await openSeenIds(run.store, run.tenant.name, STREAM, run.now, watermark), window);
    // Every page is stored: only now may the watermark move — and not past sign-ins left for later,
    // so the next scan reads them again and judges them once it can (seen ids skip the rest).
    const deferred = [...reader.deferred.values()].reduce((a, b) => a + b, 0);
    if (deferred === 0) await commitBatch(reader.commit, run.tenant.name, STREAM, [], { watermark: window.to, seenExpiresAt: reader.seenExpiresAt });
    report = {
      sources: [
        deferred === 0
          ? { source: STREAM, status: 'complete', items: reader.events.signIns }
          : {
              source: STREAM,
              status: 'partial',
              items: reader.events.signIns - deferred,
              message: `${deferred} sign-ins left for a later scan; the window stays open`,
            },
      ],
      errors: [],
    };
  } catch (e: unknown) {
    report = stageFailed(run, STREAM, e);
  }
  return {
    sources: report.sources,
    errors: [...report.errors, ...windowErrors(STREAM, window), ...deferredErrors(reader)],
    tally: reader.commit.tally,
    ruleErrors: reader.ruleErrors.list(),
    events: reader.events,
  };
}

/**
 * Said out loud: sign-ins that could not be judged were neither cleared nor flagged; they are read
 * again and judged by the first scan that can, because the watermark did not move past them.
 */
function deferredErrors(p: PageRun): ScanError[] {
  return [...p.deferred].map(([why, count]) =>
    why === NO_INVENTORY
      ? {
          stage: STREAM,
          code: 'SIGNINS_DEFERRED',
          message: `${count} sign-ins were NOT checked yet: no inventory could be read, so their vendors and mailbox reach are unknown; they are judged by the first scan that reads the inventory`,
        }
      : {
          stage: STREAM,
          code: 'ALLOWLIST_SOURCE_FAILED',
          message: `${count} sign-ins of ${why}'s apps were NOT checked yet: no allowlist source of ${why} could be read; they are judged by the first scan that reads one`,
        },
  );
}

const NO_INVENTORY = '\u0000no inventory';

/** Why a sign-in cannot be judged now, or undefined when it can. */
function deferral(p: PageRun, e: SignInEvent): string | undefined {
  if (p.deferAll) return NO_INVENTORY;
  const view = p.context.allowlist(p.context.app(e.appId), e.appId);
  return view.status === 'unknown' ? view.vendor : undefined;
}

/**
 * Seen ids must outlive every re-read of their time: normally the overlap (plus margin), but while
 * the watermark is held back (sign-ins deferred, a backlog) a later scan re-reads from further back,
 * up to the log's retention.
 */
function seenExpiryFor(run: ReadingRun, from: Date): Date {
  const reread = run.now.getTime() - from.getTime();
  const normal = (run.config.collection.overlapInMinutes + run.config.collection.settleInMinutes) * 60_000;
  return reread > normal + 3_600_000 ? new Date(run.now.getTime() + (RETENTION_IN_DAYS + 1) * 86_400_000) : run.seenExpiresAt;
}

async function readPages(p: PageRun, seen: SeenIds, window: { from: Date; to: Date }): Promise<void> {
  const { run } = p;
  let pages = 0;
  for await (const page of readSignInPages(p.graph, window.from, window.to)) {
    pages += 1;
    p.events.signIns += page.events.length;
    p.events.quarantined += page.quarantined.length;
    if (page.quarantined.length > 0) run.logger.warn({ stream: STREAM, quarantined: page.quarantined.slice(0, 10) }, 'sign-in records quarantined');
    // Dedupe within the page too: the same record twice in one page is one event.
    const unique = [...new Map(page.events.map((e) => [e.id, e])).values()];
    const unseenEvents = await unseenSignIns(seen, unique);
    const fresh: SignInEvent[] = [];
    for (const e of unseenEvents) {
      const why = deferral(p, e);
      if (why === undefined) fresh.push(e);
      else p.deferred.set(why, (p.deferred.get(why) ?? 0) + 1);
    }
    // A deferral means later scans re-read from this window's start: keep the ids that long.
    if (p.deferred.size > 0) p.seenExpiresAt = new Date(Math.max(p.seenExpiresAt.getTime(), p.run.now.getTime() + (RETENTION_IN_DAYS + 1) * 86_400_000));
    p.events.newSignIns += fresh.length;
    const findings = judge(
      run.rules,
      fresh.map((event) => ({ type: 'signIn' as const, event })),
      p.context,
      run.logger,
      p.ruleErrors,
    );
    await commitBatch(p.commit, run.tenant.name, STREAM, findings, {
      seenIds: fresh.map(seenKey),
      seenExpiresAt: p.seenExpiresAt,
      aggregates: aggregate(p, fresh),
      learnedNetworks: learn(p, fresh, findings),
    });
    p.progress?.({ stream: STREAM, pages, events: p.events.signIns });
  }
}

/** Sign-ins per day, app, network and allowed-or-not: the weekly report's conformity chart (docs/report.md). */
function aggregate(p: PageRun, events: readonly SignInEvent[]): SignInAggregate[] {
  const byKey = new Map<string, SignInAggregate>();
  for (const e of events) {
    const network = p.context.networkKey(e.ipAddress, e.asn) ?? 'unknown';
    const view = p.context.allowlist(p.context.app(e.appId), e.appId);
    const allowed = view.status === 'ok' && e.ipAddress ? view.match(e.ipAddress) !== undefined : null;
    const day = e.createdAt.toISOString().slice(0, 10);
    const key = `${day}|${e.appId}|${network}|${String(allowed)}`;
    const agg = byKey.get(key) ?? { tenant: p.run.tenant.name, day, appId: e.appId, network, allowed, count: 0, successCount: 0, failureCount: 0 };
    agg.count += 1;
    // An unknown outcome (a status without errorCode) is counted in `count` only: neither kind.
    if (e.outcome === 'success') agg.successCount += 1;
    else if (e.outcome === 'failure') agg.failureCount += 1;
    byKey.set(key, agg);
  }
  return [...byKey.values()];
}

/**
 * Networks of mailbox-capable apps without an allowlist: what signin-new-network compares with. A
 * sign-in that raised a finding does not teach its network: otherwise the attacker's network,
 * flagged once, would be "known" for its next (successful) sign-in.
 */
function learn(p: PageRun, events: readonly SignInEvent[], findings: readonly Finding[]): LearnedNetwork[] {
  const flagged = new Set(findings.flatMap((f) => f.eventIds));
  const out = new Map<string, LearnedNetwork>();
  for (const e of events) {
    if (flagged.has(e.id)) continue;
    const app = p.context.app(e.appId);
    if (!app || app.mailboxPermissions.length === 0 || p.context.allowlist(app, e.appId).status !== 'none') continue;
    const network = p.context.networkKey(e.ipAddress, e.asn);
    if (!network) continue;
    const key = `${e.appId}|${network}`;
    const prev = out.get(key);
    if (!prev || e.createdAt < prev.firstSeen) out.set(key, { tenant: p.run.tenant.name, appId: e.appId, network, firstSeen: e.createdAt });
  }
  return [...out.values()];
}
