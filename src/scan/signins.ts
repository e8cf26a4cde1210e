import { readSignInPages } from '../collect/signins.js';
import type { SignInEvent } from '../events.js';
import type { GraphApi } from '../graph/client.js';
import type { Logger } from '../logging.js';
import type { Rule, RuleContext } from '../rules/types.js';
import type { LearnedNetwork, SignInAggregate } from '../state/types.js';
import { commitBatch, type CommitContext } from './commit.js';
import { judge, type RuleErrors } from './rules-run.js';
import type { ScanSummary } from './types.js';

export interface StreamRun {
  graph: GraphApi;
  tenant: string;
  rules: readonly Rule[];
  context: RuleContext;
  commit: CommitContext;
  seenExpiresAt: Date;
  logger: Logger;
  ruleErrors: RuleErrors;
  summary: ScanSummary;
  progress?: (p: { stream: string; pages: number; events: number }) => void;
  /** Sign-ins per vendor that could not be judged because the vendor's allowlist is unknown. */
  unchecked: Map<string, number>;
}

/**
 * Reads the sign-in window page by page. Each page is judged and committed on its own (its new
 * event ids, findings, alerts, outbox entries, aggregates and learned networks in one transaction),
 * so memory stays bounded by a page and a crash repeats at most the page in flight. The watermark
 * moves only after the last page (see runScan).
 */
export async function scanSignIns(run: StreamRun, from: Date, to: Date): Promise<void> {
  let pages = 0;
  for await (const page of readSignInPages(run.graph, from, to)) {
    pages += 1;
    run.summary.events.signIns += page.events.length;
    run.summary.events.quarantined += page.quarantined.length;
    if (page.quarantined.length > 0) run.logger.warn({ stream: 'signIns', quarantined: page.quarantined.slice(0, 10) }, 'sign-in records quarantined');
    // Dedupe within the page too: the same record twice in one page is one event.
    const unique = [...new Map(page.events.map((e) => [e.id, e])).values()];
    const unseen = new Set(await run.commit.store.filterUnseen(run.tenant, 'signIns', unique.map((e) => e.id)));
    const fresh = unique.filter((e) => unseen.has(e.id));
    run.summary.events.newSignIns += fresh.length;
    const findings = judge(run.rules, fresh.map((event) => ({ type: 'signIn' as const, event })), run.context, run.logger, run.ruleErrors);
    await commitBatch(run.commit, run.tenant, 'signIns', findings, {
      seenIds: fresh.map((e) => e.id),
      seenExpiresAt: run.seenExpiresAt,
      aggregates: aggregate(run, fresh),
      learnedNetworks: learn(run, fresh),
    });
    run.progress?.({ stream: 'signIns', pages, events: run.summary.events.signIns });
  }
}

function aggregate(run: StreamRun, events: readonly SignInEvent[]): SignInAggregate[] {
  const byKey = new Map<string, SignInAggregate>();
  for (const e of events) {
    const network = run.context.networkKey(e.ipAddress, e.asn) ?? 'unknown';
    const view = run.context.allowlist(run.context.app(e.appId), e.appId);
    const allowed = view.status === 'ok' && e.ipAddress ? view.match(e.ipAddress) !== undefined : null;
    if (view.status === 'unknown') run.unchecked.set(view.vendor, (run.unchecked.get(view.vendor) ?? 0) + 1);
    const day = e.createdAt.toISOString().slice(0, 10);
    const key = `${day}|${e.appId}|${network}|${String(allowed)}`;
    const agg = byKey.get(key) ?? { tenant: run.tenant, day, appId: e.appId, network, allowed, count: 0, successCount: 0, failureCount: 0 };
    agg.count += 1;
    // An unknown outcome (a status without errorCode) is counted in `count` only: neither kind.
    if (e.outcome === 'success') agg.successCount += 1;
    else if (e.outcome === 'failure') agg.failureCount += 1;
    byKey.set(key, agg);
  }
  return [...byKey.values()];
}

/** Networks of mailbox-capable apps without an allowlist: what signin-new-network compares with. */
function learn(run: StreamRun, events: readonly SignInEvent[]): LearnedNetwork[] {
  const out = new Map<string, LearnedNetwork>();
  for (const e of events) {
    const app = run.context.app(e.appId);
    if (!app || app.mailboxPermissions.length === 0 || run.context.allowlist(app, e.appId).status !== 'none') continue;
    const network = run.context.networkKey(e.ipAddress, e.asn);
    if (!network) continue;
    const key = `${e.appId}|${network}`;
    const prev = out.get(key);
    if (!prev || e.createdAt < prev.firstSeen) out.set(key, { tenant: run.tenant, appId: e.appId, network, firstSeen: e.createdAt });
  }
  return [...out.values()];
}
