/**
 * The top of the weekly report: who and when, the headline numbers against last week, and the
 * mailbox-capable apps ranked by exposure with the parts of each score spelled out.
 */
import { appCell, COLOR, dataTable, heading, inlineList, num, paragraph, row, small, sourceName, text, time, unknown, type Column } from './html-kit.js';
import type { ExposureRow, HealthRow, Metric, ScorePart, WeeklyReport } from './types.js';

/** Apps in the ranking: the ones to act on first; the full ranking is in the JSON and CSV. */
export const EXPOSURE_MAX = 20;

/** The blue header band (a darker blue than links: white on it keeps 7:1): tenant, week and when the report was made. */
export function headerRows(report: WeeklyReport): string[] {
  return [
    row(
      `<h1 style="margin:0;font-size:20px;line-height:28px;font-weight:bold;color:#FFFFFF;">Weekly exposure report</h1>` +
        `Tenant <b>${text(report.tenant, 80)}</b> · week <b>${text(report.week, 20)}</b>`,
      `background-color:#005A9E;color:#FFFFFF;padding:16px;`,
    ),
    row(small(`Period ${time(report.from)} to ${time(report.to)} · generated ${time(report.generatedAt)} by credwatch`), 'padding:8px 16px 0 16px;'),
  ];
}

/**
 * A warning at the top when any source was not read completely, so a reader who stops after the
 * summary still knows some numbers are unknown rather than zero.
 */
export function incompleteBanner(health: readonly HealthRow[]): string[] {
  const problems = health.filter((h) => h.status !== 'complete');
  if (health.length > 0 && problems.length === 0) return [];
  const what =
    health.length === 0
      ? 'No collection health was recorded for this week'
      : `Data collection was incomplete this week for ${inlineList(
          problems.map((h) => sourceName(h.source)),
          6,
          60,
        )}`;
  return [
    row(
      `<b>${what}.</b> Values from those sources are shown as unknown and empty lists there are not a clean result; see Data collection health.`,
      `padding:10px 16px;background-color:${COLOR.amberBg};color:${COLOR.amber};border-left:4px solid ${COLOR.amber};`,
    ),
  ];
}

/** ▲ red for more, ▼ green for less: every headline counts exposure or problems, so up is worse. */
function change(m: Metric): string {
  const delta = m.delta ?? (m.value !== null && m.previous !== null ? m.value - m.previous : null);
  if (delta === null) return unknown();
  if (delta === 0) return `<span style="color:${COLOR.subtle};">no change</span>`;
  return delta > 0
    ? `<span style="color:${COLOR.red};font-weight:bold;">▲ +${num(delta)}</span>`
    : `<span style="color:${COLOR.green};font-weight:bold;">▼ −${num(-delta)}</span>`;
}

function value(v: number | null, strong: boolean): string {
  if (v === null) return unknown();
  return strong ? `<b>${num(v)}</b>` : num(v);
}

/** The headline numbers; `null` is "unknown*" with a footnote, never 0. */
export function summaryRows(report: WeeklyReport): string[] {
  const columns: Column[] = [
    { title: 'Metric' },
    { title: 'This week', width: 90, align: 'right' },
    { title: 'Last week', width: 90, align: 'right' },
    { title: 'Change', width: 100, align: 'right' },
  ];
  const cells = report.summary.map((m) => [text(m.label, 120), value(m.value, true), value(m.previous, false), change(m)]);
  const rows = [...heading('Summary'), dataTable(columns, cells, cells.length, 'the JSON report')];
  const hasUnknown = report.summary.some((m) => m.value === null || m.previous === null || m.delta === null);
  if (hasUnknown) {
    rows.push(
      paragraph(
        small(
          report.changesStatus === 'firstReport'
            ? '* unknown: not collected, or there is no earlier report to compare with (this is the first one). An unknown is never counted as zero.'
            : '* unknown: the source was not collected that week (see Data collection health). An unknown is never counted as zero or as clean.',
        ),
      ),
    );
  }
  return rows;
}

const FACTOR_LABEL: Readonly<Record<ScorePart['factor'], string>> = Object.freeze({
  mailboxReach: 'mailbox reach',
  credentialType: 'credential type',
  hygiene: 'hygiene',
  thirdParty: 'third-party',
  unexpectedSignIns: 'unexpected sign-ins',
  unused: 'unused',
});

/**
 * "mailbox reach 40 (full_access_as_app) + credential type 20 (client secret) + …": the score
 * explained. Zero-point parts add nothing to the sum and are left out; label and points never wrap apart.
 */
function parts(r: ExposureRow): string {
  const shown = r.parts.filter((p) => p.points !== 0);
  if (shown.length === 0) return small('no scoring factors');
  return shown
    .map((p, i) => {
      const sign = p.points < 0 ? (i === 0 ? '− ' : ' − ') : i === 0 ? '' : ' + ';
      const reason = p.reason ? ` ${small(`(${text(p.reason, 80)})`)}` : '';
      return `${sign}<span style="white-space:nowrap;">${FACTOR_LABEL[p.factor] ?? text(String(p.factor), 30)} <b>${num(Math.abs(p.points))}</b></span>${reason}`;
    })
    .join('');
}

const OWNERSHIP: Readonly<Record<string, string>> = Object.freeze({
  thirdParty: 'third-party (vendor)',
  own: 'this tenant',
  microsoft: 'Microsoft',
  unknown: 'owner unknown',
});

/** The top {@link EXPOSURE_MAX} mailbox-capable apps by score (the model's order breaks ties). */
export function exposureRows(report: WeeklyReport, collectionComplete: boolean): string[] {
  const rows = heading(
    'Exposure ranking',
    'Apps that can read or send mail, ranked by how much a stolen credential would expose. The score is the sum of the parts shown next to it.',
  );
  const ranked = [...report.exposure].sort((a, b) => b.score - a.score);
  if (ranked.length === 0) {
    rows.push(
      collectionComplete
        ? paragraph(small('No mailbox-capable apps were found.'))
        : paragraph(
            `<span style="color:${COLOR.amber};">No mailbox-capable apps in the data collected, but collection was incomplete: this is not a clean result.</span>`,
          ),
    );
    return rows;
  }
  const columns: Column[] = [
    { title: '#', width: 24, align: 'right' },
    { title: 'App', width: 210 },
    { title: 'Score', width: 50, align: 'right' },
    { title: 'Why' },
  ];
  const cells = ranked
    .slice(0, EXPOSURE_MAX)
    .map((r, i) => [
      String(i + 1),
      `${appCell(r.appId, r.displayName)}<br>${small(`${OWNERSHIP[r.ownership] ?? text(r.ownership, 20)} · ${num(r.credentials)} credential${r.credentials === 1 ? '' : 's'}`)}`,
      `<b style="font-size:16px;">${num(r.score)}</b>`,
      `${parts(r)}${r.mailboxPermissions.length > 0 ? `<br>${small(`Permissions: ${text(r.mailboxPermissions.slice(0, 6).join(', '), 200)}${r.mailboxPermissions.length > 6 ? ` and ${r.mailboxPermissions.length - 6} more` : ''}`)}` : ''}`,
    ]);
  rows.push(dataTable(columns, cells, ranked.length));
  return rows;
}
