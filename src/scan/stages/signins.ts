/**
 * The sign-in stage: service-principal sign-ins over `[watermark − overlap, now − settle]`, page
 * by page (README, "Detection"). Each page is judged and committed on its own — its new event ids,
 * findings, alerts, outbox entries, aggregates and learned networks in one transaction — so memory
 * stays bounded by a page and a crash repeats at most the page in flight. The watermark moves only
 * after the last page is stored (docs/state.md, "Crash guarantees").
 */
import { readSignInPages } from '../../collect/signins.js';
import type { ScanError, SignInEvent } from '../../contract.js';
import type { GraphApi } from '../../graph/client.js';
import type { RuleContext } from '../../rules/types.js';
import type { LearnedNetwork, SignInAggregate } from '../../state/types.js';
import { commitBatch, type CommitContext } from '../commit.js';
import { judge, RuleErrors } from '../rules-run.js';
import { scanWindow } from '../window.js';
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
  /** Sign-ins per vendor that could not be judged because the vendor's allowlist is unknown. */
  unchecked: Map<string, number>;
  progress: PageProgress | undefined;
}

/**
 * Reads, judges and commits the sign-in window. Counts of the pages read before a failure are
 * kept, and so is everything those pages committed.
 */
export async function signInStage(run: ReadingRun, context: RuleContext, progress?: PageProgress): Promise<SignInStageResult> {
  const window = scanWindow(await run.store.getWatermark(run.tenant.name, STREAM), run.now, run.config.collection);
  const reader: PageRun = {
    run,
    graph: run.graph,
    context,
    commit: commitContext(run),
    ruleErrors: new RuleErrors(),
    events: { signIns: 0, newSignIns: 0, quarantined: 0 },
    unchecked: new Map(),
    progress,
  };
  let report: StageReport;
  try {
    await readPages(reader, window.from, window.to);
    // Every page is stored: only now may the watermark move.
    await commitBatch(reader.commit, run.tenant.name, STREAM, [], { watermark: window.to, seenExpiresAt: run.seenExpiresAt });
    report = { sources: [{ source: STREAM, status: 'complete', items: reader.events.signIns }], errors: [] };
  } catch (e: unknown) {
    report = stageFailed(run, STREAM, e);
  }
  return {
    sources: report.sources,
    errors: [...report.errors, ...windowErrors(STREAM, window), ...uncheckedErrors(reader.unchecked)],
    tally: reader.commit.tally,
    ruleErrors: reader.ruleErrors.list(),
    events: reader.events,
  };
}

/** Said out loud: sign-ins of a vendor whose allowlist is unknown were neither cleared nor flagged. */
function uncheckedErrors(unchecked: ReadonlyMap<string, number>): ScanError[] {
  return [...unchecked].map(([vendor, count]) => ({
    stage: STREAM,
    code: 'ALLOWLIST_SOURCE_FAILED',
    message: `${count} sign-ins of ${vendor}'s apps were NOT checked: no allowlist source of ${vendor} could be read`,
  }));
}

async function readPages(p: PageRun, from: Date, to: Date): Promise<void> {
  const { run } = p;
  let pages = 0;
  for await (const page of readSignInPages(p.graph, from, to)) {
    pages += 1;
    p.events.signIns += page.events.length;
    p.events.quarantined += page.quarantined.length;
    if (page.quarantined.length > 0) run.logger.warn({ stream: STREAM, quarantined: page.quarantined.slice(0, 10) }, 'sign-in records quarantined');
    // Dedupe within the page too: the same record twice in one page is one event.
    const unique = [...new Map(page.events.map((e) => [e.id, e])).values()];
    const unseen = new Set(
      await run.store.filterUnseen(
        run.tenant.name,
        STREAM,
        unique.map((e) => e.id),
      ),
    );
    const fresh = unique.filter((e) => unseen.has(e.id));
    p.events.newSignIns += fresh.length;
    const findings = judge(
      run.rules,
      fresh.map((event) => ({ type: 'signIn' as const, event })),
      p.context,
      run.logger,
      p.ruleErrors,
    );
    await commitBatch(p.commit, run.tenant.name, STREAM, findings, {
      seenIds: fresh.map((e) => e.id),
      seenExpiresAt: run.seenExpiresAt,
      aggregates: aggregate(p, fresh),
      learnedNetworks: learn(p, fresh),
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
    if (view.status === 'unknown') p.unchecked.set(view.vendor, (p.unchecked.get(view.vendor) ?? 0) + 1);
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

/** Networks of mailbox-capable apps without an allowlist: what signin-new-network compares with. */
function learn(p: PageRun, events: readonly SignInEvent[]): LearnedNetwork[] {
  const out = new Map<string, LearnedNetwork>();
  for (const e of events) {
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
