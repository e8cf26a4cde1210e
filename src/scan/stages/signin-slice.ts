/**
 * Reading one slice of the sign-in log: every page of `[from, to)`, each record judged once (seen
 * ids skip what an earlier read of the same time judged), and what the slice produced gathered for
 * one commit. Nothing is stored here: a slice is committed whole by the stage, or — stopped at the
 * run's deadline or grown past its size limit — not at all, and read again later.
 */
import { readSignInPages } from '../../collect/signins.js';
import type { Finding, SignInEvent } from '../../contract.js';
import type { GraphApi } from '../../graph/client.js';
import type { Logger } from '../../logging.js';
import type { Rule, RuleContext } from '../../rules/types.js';
import type { MsInterval } from '../../state/coverage.js';
import type { LearnedNetwork, SignInAggregate } from '../../state/types.js';
import { judge, type RuleErrors } from '../rules-run.js';
import { seenKey, unseenSignIns, type SeenIds } from './signin-seen.js';

const STREAM = 'signIns';

/** What reading a slice needs. */
export interface SliceReader {
  tenant: string;
  graph: GraphApi;
  context: RuleContext;
  rules: readonly Rule[];
  logger: Logger;
  ruleErrors: RuleErrors;
  seen: SeenIds;
  /** Why a sign-in cannot be judged now (undefined: it can). */
  deferral: (e: SignInEvent) => string | undefined;
  /** The run's clock and its deadline (epoch ms): a slice still reading at the deadline stops unstored. */
  clock: () => Date;
  deadlineMs: number;
  /** A slice holding more records than this stops unstored, to be read again in smaller slices. */
  maxRecords: number;
  /** Called after each page. */
  onPage: (records: number) => void;
  /**
   * Stores what a slice has produced so far when it holds this many findings: an attack flood
   * fills a slice with findings, and one commit must stay small (an Azure Table commit holds about
   * 20 MB of JSON). What was flushed keeps its seen ids, so a slice read again skips it.
   */
  flushFindings: number;
  flush: (part: SliceRead) => Promise<void>;
}

/** A slice as read, ready to commit (unless stopped). */
export interface SliceRead {
  /** Records of the slice's time, as Graph returned them (judged, seen before, deferred, quarantined). */
  records: number;
  /** The oldest record time read (epoch ms), for the density of a slice that stopped early. */
  oldestMs: number | undefined;
  quarantined: number;
  /** Sign-ins judged now, with their seen ids and times (to keep the ids of those that may be read again). */
  judged: Array<{ key: string; createdAtMs: number }>;
  deferred: Map<string, number>;
  findings: Finding[];
  aggregates: SignInAggregate[];
  learned: LearnedNetwork[];
  stopped: 'deadline' | 'oversize' | undefined;
}

/**
 * Reads `[from, to)`. Graph's filter is inclusive at both ends (`ge`, `le`), so a record at exactly
 * `to` comes back here and again in the next slice: it is kept only there. `createdDateTime` may
 * carry more digits than milliseconds; a record inside `to`'s millisecond but after it is not
 * returned by `le to` and is read by the next slice's `ge to`.
 */
export async function readSlice(r: SliceReader, slice: MsInterval): Promise<SliceRead> {
  const out: SliceRead = {
    records: 0,
    oldestMs: undefined,
    quarantined: 0,
    judged: [],
    deferred: new Map(),
    findings: [],
    aggregates: [],
    learned: [],
    stopped: undefined,
  };
  let aggregates = new Map<string, SignInAggregate>();
  let learned = new Map<string, LearnedNetwork>();
  for await (const page of readSignInPages(r.graph, new Date(slice.fromMs), new Date(slice.toMs))) {
    const inSlice = page.events.filter((e) => e.createdAt.getTime() >= slice.fromMs && e.createdAt.getTime() < slice.toMs);
    out.records += inSlice.length + page.quarantined.length;
    for (const e of inSlice) if (out.oldestMs === undefined || e.createdAt.getTime() < out.oldestMs) out.oldestMs = e.createdAt.getTime();
    out.quarantined += page.quarantined.length;
    if (page.quarantined.length > 0) r.logger.warn({ stream: STREAM, quarantined: page.quarantined.slice(0, 10) }, 'sign-in records quarantined');
    // The same record twice in one page is one event.
    const unique = [...new Map(inSlice.map((e) => [e.id, e])).values()];
    const fresh: SignInEvent[] = [];
    for (const e of await unseenSignIns(r.seen, unique)) {
      const why = r.deferral(e);
      if (why === undefined) fresh.push(e);
      else out.deferred.set(why, (out.deferred.get(why) ?? 0) + 1);
    }
    const findings = judge(
      r.rules,
      fresh.map((event) => ({ type: 'signIn' as const, event })),
      r.context,
      r.logger,
      r.ruleErrors,
    );
    out.findings.push(...findings);
    for (const e of fresh) out.judged.push({ key: seenKey(e), createdAtMs: e.createdAt.getTime() });
    addAggregates(aggregates, r, fresh);
    addLearned(learned, r, fresh, findings);
    r.onPage(inSlice.length);
    if (out.findings.length >= r.flushFindings) {
      await r.flush({ ...out, aggregates: [...aggregates.values()], learned: [...learned.values()] });
      out.findings = [];
      out.judged = [];
      aggregates = new Map();
      learned = new Map();
    }
    if (r.clock().getTime() >= r.deadlineMs) {
      out.stopped = 'deadline';
      break;
    }
    if (out.records > r.maxRecords && slice.toMs - slice.fromMs > 1) {
      out.stopped = 'oversize';
      break;
    }
  }
  out.aggregates = [...aggregates.values()];
  out.learned = [...learned.values()];
  return out;
}

/** Sign-ins per day, app, network and allowed-or-not: the weekly report's conformity chart (docs/report.md). */
function addAggregates(into: Map<string, SignInAggregate>, r: SliceReader, events: readonly SignInEvent[]): void {
  for (const e of events) {
    const network = r.context.networkKey(e.ipAddress, e.asn) ?? 'unknown';
    const view = r.context.allowlist(r.context.app(e.appId), e.appId);
    const allowed = view.status === 'ok' && e.ipAddress ? view.match(e.ipAddress) !== undefined : null;
    const day = e.createdAt.toISOString().slice(0, 10);
    const key = `${day}|${e.appId}|${network}|${String(allowed)}`;
    const agg = into.get(key) ?? { tenant: r.tenant, day, appId: e.appId, network, allowed, count: 0, successCount: 0, failureCount: 0 };
    agg.count += 1;
    // An unknown outcome (a status without errorCode) is counted in `count` only: neither kind.
    if (e.outcome === 'success') agg.successCount += 1;
    else if (e.outcome === 'failure') agg.failureCount += 1;
    into.set(key, agg);
  }
}

/**
 * Networks of mailbox-capable apps without an allowlist: what signin-new-network compares with. A
 * sign-in that raised a finding does not teach its network: otherwise the attacker's network,
 * flagged once, would be "known" for its next (successful) sign-in.
 */
function addLearned(into: Map<string, LearnedNetwork>, r: SliceReader, events: readonly SignInEvent[], findings: readonly Finding[]): void {
  const flagged = new Set(findings.flatMap((f) => f.eventIds));
  for (const e of events) {
    if (flagged.has(e.id)) continue;
    const app = r.context.app(e.appId);
    if (!app || app.mailboxPermissions.length === 0 || r.context.allowlist(app, e.appId).status !== 'none') continue;
    const network = r.context.networkKey(e.ipAddress, e.asn);
    if (!network) continue;
    const key = `${e.appId}|${network}`;
    const prev = into.get(key);
    if (!prev || e.createdAt < prev.firstSeen) into.set(key, { tenant: r.tenant, appId: e.appId, network, firstSeen: e.createdAt });
  }
}
