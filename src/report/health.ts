/**
 * Data collection health for the week, from the scans recorded in it: which sources were read
 * completely, partly, not at all, or cannot be read without a licence. The report shows anything
 * not `complete` as unknown, so a source that failed all week never looks like a quiet week.
 */
import type { ScanRecord } from '../state/types.js';
import type { HealthRow, HealthStatus, WeeklyReport } from './types.js';

/** What the report reads of a recorded scan (the store's `ScanRecord`, minus what it does not need). */
export type ReportScan = Pick<ScanRecord, 'startedAt' | 'finishedAt' | 'sources' | 'errors'>;
type SourceRecord = ReportScan['sources'][number];

/** Sources every report lists, recorded or not: their absence is itself the finding. */
export const CORE_SOURCES: readonly string[] = ['signIns', 'directoryAudits', 'inventory'];

type Grade = 'ok' | 'usable' | 'bad';

const GRADE: Readonly<Record<string, Grade>> = {
  complete: 'ok',
  // A mailbox resource missing from the tenant is skipped: nothing to read, nothing unknown.
  skipped: 'ok',
  partial: 'usable',
  stale: 'usable',
  failed: 'bad',
  unknown: 'bad',
};
/** A status this version does not know is not evidence of anything: graded like a failure. */
const gradeOf = (status: string): Grade => GRADE[status] ?? 'bad';
const RANK: Readonly<Record<Grade, number>> = { ok: 0, usable: 1, bad: 2 };

interface Observation {
  grade: Grade;
  record: SourceRecord;
}

/** A URL allowlist source shows origin and path only: feed URLs may carry a token in the query. */
export function redactUrls(text: string): string {
  return text.replace(/(https?:\/\/[^\s?#"'<>]+)[?#][^\s"'<>]*/gi, '$1?…');
}

/** One scan's sources by name, worst record first, with `inventory` summarising `inventory:*`. */
function observe(scan: ReportScan): Map<string, Observation> {
  const out = new Map<string, Observation>();
  const note = (name: string, grade: Grade, record: SourceRecord) => {
    const seen = out.get(name);
    if (!seen || RANK[grade] > RANK[seen.grade]) out.set(name, { grade, record });
  };
  for (const record of scan.sources) {
    const name = redactUrls(record.source);
    note(name, gradeOf(record.status), record);
    // A failed part (e.g. delegated grants) leaves a usable but incomplete inventory.
    if (name.startsWith('inventory:')) note('inventory', gradeOf(record.status) === 'ok' ? 'ok' : 'usable', record);
  }
  return out;
}

function detailOf(record: SourceRecord): string {
  const text = [record.errorCode, record.message].filter(Boolean).join(': ') || record.status;
  return redactUrls(text).slice(0, 300);
}

function rowFor(source: string, observations: ReadonlyArray<Observation | undefined>): HealthRow {
  const scans = observations.length;
  const recorded = observations.filter((o): o is Observation => o !== undefined);
  const completeScans = recorded.filter((o) => o.grade === 'ok').length;
  const problem = recorded.filter((o) => o.grade !== 'ok').at(-1);
  const detail = problem ? detailOf(problem.record) : null;
  let status: HealthStatus;
  if (recorded.length === 0) {
    status = 'notCollected';
    return { source, status, completeScans, scans, detail: scans === 0 ? 'no scan ran this week' : 'no scan this week recorded this source' };
  }
  if (completeScans === scans) status = 'complete';
  else if (completeScans > 0 || recorded.some((o) => o.grade === 'usable')) status = 'partial';
  else status = recorded.some((o) => o.record.errorCode === 'GRAPH_LICENSE_MISSING') ? 'notLicensed' : 'failed';
  return { source, status, completeScans, scans, detail };
}

function order(source: string): [number, string] {
  const core = CORE_SOURCES.indexOf(source);
  if (core >= 0) return [core, ''];
  if (source.startsWith('inventory:')) return [10, source];
  if (source.startsWith('allowlist:')) return [20, source];
  return [30, source];
}

/** Health of every source seen in the week's scans, plus the core sources even when never seen. */
export function buildHealth(scans: readonly ReportScan[]): HealthRow[] {
  const perScan = scans.map(observe);
  const names = new Set<string>(CORE_SOURCES);
  for (const observed of perScan) for (const name of observed.keys()) names.add(name);
  return [...names]
    .sort((a, b) => {
      const [x, y] = [order(a), order(b)];
      return x[0] - y[0] || x[1].localeCompare(y[1]);
    })
    .map((name) =>
      rowFor(
        name,
        perScan.map((o) => o.get(name)),
      ),
    );
}

/** The status of one source, `notCollected` when the report has no row for it. */
export function healthOf(health: readonly HealthRow[], source: string): HealthStatus {
  return health.find((h) => h.source === source)?.status ?? 'notCollected';
}

/** Whether a source's data can be counted at all (a partial week still yields a lower bound). */
export function collected(status: HealthStatus): boolean {
  return status === 'complete' || status === 'partial';
}

const ALLOWLIST_SOURCE = /^allowlist:(.*?):(cidrs|file:.*|url:.*|namedLocation:.*)$/s;

/**
 * Allowlist sources whose latest record in the week was stale (an old copy in use) or failed (no
 * usable copy): sign-ins of those vendors were checked against old ranges or not at all.
 */
export function buildStaleAllowlists(scans: readonly ReportScan[]): WeeklyReport['staleAllowlists'] {
  const latest = new Map<string, SourceRecord>();
  const ordered = [...scans].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  for (const scan of ordered) for (const s of scan.sources) if (s.source.startsWith('allowlist:')) latest.set(s.source, s);
  const out: WeeklyReport['staleAllowlists'] = [];
  for (const [name, record] of latest) {
    if (record.status !== 'stale' && record.status !== 'failed') continue;
    const m = ALLOWLIST_SOURCE.exec(name);
    out.push({
      vendor: m?.[1] ?? '',
      source: redactUrls(m?.[2] ?? name),
      status: record.status,
      detail: record.message || record.errorCode ? detailOf(record) : null,
    });
  }
  return out.sort((a, b) => a.vendor.localeCompare(b.vendor) || a.source.localeCompare(b.source));
}
