/**
 * The end of the weekly report: gaps in the allowlists, how complete this week's data is, and what
 * to do about it all. Data collection health is its own section because every "none" above is
 * only as good as the sources that were read.
 */
import {
  appCell,
  badge,
  capped,
  COLOR,
  dataTable,
  heading,
  inlineList,
  none,
  num,
  paragraph,
  row,
  small,
  sourceLabel,
  sourceName,
  text,
  type Column,
} from './html-kit.js';
import type { HealthStatus, Recommendation, RecommendationSection, WeeklyReport } from './types.js';

/** Recommendations listed; they are ordered by priority, so the rest can wait for the JSON. */
export const RECOMMENDATIONS_MAX = 30;

/** Who owns an app without an allowlist, and so who can say where it signs in from. */
const OWNER: Readonly<Record<string, string>> = Object.freeze({ thirdParty: 'vendor', own: 'this tenant', unknown: 'owner unknown' });

export function allowlistRows(report: WeeklyReport, collectionComplete: boolean): string[] {
  const rows = heading(
    'Apps without an allowlist',
    "These apps can reach mail, but credwatch has no list of the networks they should sign in from, so a stolen credential used elsewhere goes unnoticed. Add the vendor's published ranges, or for your own apps the outbound addresses of where they run.",
  );
  const apps = report.appsWithoutAllowlist;
  if (apps.length === 0)
    rows.push(none(collectionComplete, "Every mailbox-capable app of a vendor or of this tenant has an allowlist (Microsoft's own apps are not checked)."));
  else
    rows.push(
      dataTable(
        [{ title: 'App', width: 260 }, { title: 'Owner', width: 110 }, { title: 'Mailbox permissions' }],
        capped(apps).map((a) => [appCell(a.appId, a.displayName), OWNER[a.ownership] ?? text(String(a.ownership), 20), inlineList(a.mailboxPermissions, 8)]),
        apps.length,
      ),
    );

  rows.push(...heading('Stale allowlists', 'Allowlist sources that could not be refreshed: sign-ins are checked against their last known ranges.'));
  const stale = report.staleAllowlists;
  if (stale.length === 0) rows.push(paragraph(small('Every allowlist source was refreshed.')));
  else {
    const cells = capped(stale).map((s) => [
      text(s.vendor, 60),
      text(sourceLabel(s.source), 80),
      `<span style="color:${COLOR.amber};font-weight:bold;">${text(s.status, 30)}</span>`,
      s.detail ? text(s.detail, 200) : small('—'),
    ]);
    rows.push(
      dataTable(
        [{ title: 'Vendor', width: 140 }, { title: 'Source', width: 200 }, { title: 'Status', width: 80 }, { title: 'Detail' }],
        cells,
        stale.length,
        'the JSON report',
      ),
    );
  }
  return rows;
}

/** Anything not read completely says UNKNOWN: a missing source must never read as "all clear". */
const STATUS: Readonly<Record<HealthStatus, { label: string; background: string; color?: string }>> = Object.freeze({
  complete: { label: 'COMPLETE', background: COLOR.green },
  partial: { label: 'PARTIAL — some data UNKNOWN', background: COLOR.amberBg, color: COLOR.amber },
  failed: { label: 'FAILED — UNKNOWN', background: COLOR.red },
  notLicensed: { label: 'UNKNOWN — not licensed', background: COLOR.subtle },
  notCollected: { label: 'UNKNOWN — not collected', background: COLOR.subtle },
});

export function healthRows(report: WeeklyReport): string[] {
  const rows = heading(
    'Data collection health',
    "Each source credwatch reads, and how many of this week's scans read it completely. Findings from a source that was not read completely are unknown, not clean.",
  );
  if (report.health.length === 0) {
    return [
      ...rows,
      paragraph(`<b style="color:${COLOR.red};">UNKNOWN: no collection was recorded this week.</b> Nothing in this report can be taken as clean.`),
    ];
  }
  const columns: Column[] = [
    { title: 'Source', width: 170 },
    { title: 'Status', width: 190 },
    { title: 'Full reads', width: 80, align: 'right' },
    { title: 'Detail' },
  ];
  const cells = capped(report.health).map((h) => {
    const s = STATUS[h.status] ?? { label: `UNKNOWN — ${text(String(h.status), 20)}`, background: COLOR.subtle };
    return [
      text(sourceName(h.source), 60),
      badge(s.label, s.background, s.color, true),
      `${num(h.completeScans)} of ${num(h.scans)}`,
      h.detail ? text(h.detail, 200) : small('—'),
    ];
  });
  return [...rows, dataTable(columns, cells, report.health.length, 'the JSON report')];
}

const PRIORITY: Readonly<Record<Recommendation['priority'], { label: string; background: string; rank: number }>> = Object.freeze({
  now: { label: 'NOW', background: COLOR.red, rank: 0 },
  soon: { label: 'SOON', background: COLOR.orange, rank: 1 },
  plan: { label: 'PLAN', background: COLOR.blue, rank: 2 },
});

/**
 * What a recommendation's ids name, by its section (which says what kind of id they are), so
 * "About:" reads as the items shown above rather than as GUIDs. Unresolved ids are shown as they
 * are, with any URL cut to its host: an allowlist id carries the feed URL, which may hold a token.
 */
export function describe(report: WeeklyReport, section: RecommendationSection): (id: string) => string {
  const names = new Map<string, string>();
  const apps = () => {
    for (const list of [report.exposure, report.appsWithoutAllowlist, report.conformity.apps])
      for (const a of list) if (!names.has(a.appId)) names.set(a.appId, a.displayName);
  };
  switch (section) {
    case 'alerts':
      report.alerts.forEach((a) => names.set(a.alertId, `${a.severity} alert “${a.title}” on ${a.appDisplayName}`));
      break;
    case 'exposure':
    case 'appsWithoutAllowlist':
      apps();
      break;
    case 'hygiene':
      for (const list of Object.values(report.hygiene)) list?.forEach((c) => names.set(c.keyId, `${c.kind} of ${c.displayName}`));
      break;
    case 'staleAllowlists':
      report.staleAllowlists.forEach((s) => names.set(`allowlist:${s.vendor}:${s.source}`, `${s.vendor} (${sourceLabel(s.source)})`));
      break;
    default:
      break;
  }
  return (id) => names.get(id) ?? sourceName(id).replace(/\b(url:)?(https?:\/\/[^\s/?#]+)[^\s]*/gi, '$2/…');
}

/** "About: …", the items a recommendation is about, named as the sections above name them. */
export function about(report: WeeklyReport, r: Recommendation): string {
  return r.refersTo.length > 0 ? small(`About: ${inlineList([...new Set(r.refersTo.map(describe(report, r.section)))], 5, 100)}`) : '';
}

/** The SOON and PLAN recommendations; NOW ones lead the report under "Needs action now". */
export function recommendationRows(report: WeeklyReport, collectionComplete: boolean): string[] {
  const rows = heading('Recommendations', 'What to do next, each tied to the items above. What to do now is at the top, under Needs action now.');
  const recs = [...report.recommendations]
    .filter((r) => r.priority !== 'now')
    .sort((a, b) => (PRIORITY[a.priority]?.rank ?? 3) - (PRIORITY[b.priority]?.rank ?? 3));
  if (recs.length === 0) return [...rows, none(collectionComplete, 'No further recommendations this week.')];
  const cells = recs.slice(0, RECOMMENDATIONS_MAX).map((r) => {
    const p = PRIORITY[r.priority] ?? { label: text(String(r.priority), 10).toUpperCase(), background: COLOR.subtle };
    const refs = about(report, r);
    return [badge(p.label, p.background), `${text(r.text, 600)}${refs ? `<br>${refs}` : ''}`];
  });
  return [...rows, dataTable([{ title: 'When', width: 60 }, { title: 'What to do' }], cells, recs.length, 'the JSON report')];
}

export function footerRows(report: WeeklyReport): string[] {
  return [
    row(
      small(
        `Generated by credwatch (${text(report.schema, 40)}). Long lists are cut short here; the attached CSV and the JSON report carry every row. ` +
          'App names are shown as the apps chose them: check the app id before trusting a name.',
      ),
      `padding:24px 16px 16px 16px;border-top:2px solid ${COLOR.lightGrey};`,
    ),
  ];
}
