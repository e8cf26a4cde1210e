/**
 * What happened during the week: sign-in conformity charts, the networks behind unexpected
 * sign-ins, the alerts raised and whether they reached anyone, and what changed in the tenant.
 */
import { SEVERITY_ORDER } from '../events.js';
import { busiestDay, dayChart, legend } from './html-chart.js';
import {
  appCell,
  capped,
  COLOR,
  dataTable,
  heading,
  inlineList,
  none,
  num,
  paragraph,
  row,
  severityBadge,
  small,
  subheading,
  text,
  time,
  type Column,
} from './html-kit.js';
import { credentialTable } from './html-hygiene.js';
import type { AlertRow, ConformityDay, ConformityRow, WeeklyReport } from './types.js';

/** Apps given their own chart, most unexpected sign-ins first. */
export const CONFORMITY_APPS_MAX = 15;
/** Networks listed; the JSON report has them all. */
export const NETWORKS_MAX = 20;
// A week has 7 days; more would be a model bug, and must not blow the email's size.
const DAYS_MAX = 14;

function totals(days: readonly ConformityDay[]): Omit<ConformityDay, 'day'> {
  return days.reduce((t, d) => ({ allowed: t.allowed + d.allowed, unexpected: t.unexpected + d.unexpected, unchecked: t.unchecked + d.unchecked }), {
    allowed: 0,
    unexpected: 0,
    unchecked: 0,
  });
}

/** Every app's sign-ins added up per day, for the tenant-wide chart. */
function tenantDays(apps: readonly ConformityRow[]): ConformityDay[] {
  const byDay = new Map<string, ConformityDay>();
  for (const app of apps) {
    for (const d of app.days) {
      const t = byDay.get(d.day) ?? { day: d.day, allowed: 0, unexpected: 0, unchecked: 0 };
      byDay.set(d.day, { day: d.day, allowed: t.allowed + d.allowed, unexpected: t.unexpected + d.unexpected, unchecked: t.unchecked + d.unchecked });
    }
  }
  return [...byDay.values()].sort((a, b) => a.day.localeCompare(b.day)).slice(0, DAYS_MAX);
}

function chartTitle(title: string, t: Omit<ConformityDay, 'day'>): string {
  return `${title} ${small(`allowed ${num(t.allowed)} · <span style="color:${t.unexpected > 0 ? COLOR.red : COLOR.subtle};">unexpected ${num(t.unexpected)}</span> · unchecked ${num(t.unchecked)}`)}`;
}

/**
 * The tenant-wide chart, then one per app with the most unexpected sign-ins first. The app charts
 * share one scale (the busiest app-day of those shown), so an app signing in once a day draws a
 * sliver next to one signing in thousands of times, instead of a full bar that looks like an attack.
 */
export function conformityRows(report: WeeklyReport, collectionComplete: boolean): string[] {
  const rows = heading(
    'Sign-in conformity',
    'Sign-ins of each app by day: from networks on its allowlist (green), from elsewhere (red), or not checked because the app has no allowlist (grey). Numbers are allowed · unexpected · unchecked. The app charts share one scale; the All apps chart has its own.',
  );
  const apps = report.conformity.apps;
  if (apps.length === 0) return [...rows, none(collectionComplete, 'No app sign-ins were recorded this week.')];
  rows.push(row(legend(), 'padding:0 16px 8px 16px;'));
  const all = tenantDays(apps);
  rows.push(subheading(chartTitle('All apps', totals(all))), row(dayChart(all, busiestDay(all))));
  const ranked = apps
    .map((app) => ({ app, t: totals(app.days) }))
    .sort((a, b) => b.t.unexpected - a.t.unexpected || b.t.unchecked - a.t.unchecked || a.app.displayName.localeCompare(b.app.displayName))
    .slice(0, CONFORMITY_APPS_MAX);
  const scale = busiestDay(ranked.flatMap(({ app }) => app.days.slice(0, DAYS_MAX)));
  for (const { app, t } of ranked) {
    rows.push(subheading(chartTitle(text(app.displayName), t)), row(`${small(text(app.appId, 40))}${dayChart(app.days.slice(0, DAYS_MAX), scale)}`));
  }
  if (apps.length > CONFORMITY_APPS_MAX) rows.push(paragraph(small(`… and ${num(apps.length - CONFORMITY_APPS_MAX)} more apps (see the JSON report)`)));
  return rows;
}

export function networkRows(report: WeeklyReport, collectionComplete: boolean): string[] {
  const rows = heading(
    'Top unexpected networks',
    'Where sign-ins outside the allowlists came from. A vendor that moved networks looks like this too: confirm with the vendor before blocking.',
  );
  const networks = [...report.conformity.topUnexpectedNetworks].sort((a, b) => b.count - a.count);
  if (networks.length === 0) return [...rows, none(collectionComplete, 'No sign-ins from unexpected networks this week.')];
  const columns: Column[] = [
    { title: 'Network', width: 170 },
    { title: 'Countries', width: 110 },
    { title: 'Sign-ins', width: 70, align: 'right' },
    { title: 'Apps' },
  ];
  const cells = capped(networks, NETWORKS_MAX).map((n) => [
    text(n.network, 60),
    n.countries.length > 0 ? inlineList(n.countries, 6, 20) : small('unknown'),
    `<b>${num(n.count)}</b>`,
    inlineList(n.apps, 5),
  ]);
  return [...rows, dataTable(columns, cells, networks.length, 'the JSON report')];
}

/** "sent 2 · FAILED 1: <error>" — a failed delivery is the thing to notice, so it comes first in red. */
function delivery(a: AlertRow): string {
  if (a.suppressed) return small('suppressed');
  const d = a.delivery;
  const parts: string[] = [];
  if (d.failed > 0) parts.push(`<b style="color:${COLOR.red};">failed ${num(d.failed)}</b>${d.lastError ? `<br>${small(text(d.lastError, 160))}` : ''}`);
  if (d.pending > 0) parts.push(`<span style="color:${COLOR.amber};">pending ${num(d.pending)}</span>`);
  if (d.sent > 0) parts.push(`<span style="color:${COLOR.green};">sent ${num(d.sent)}</span>`);
  return parts.length > 0 ? parts.join('<br>') : small('not sent (no channel)');
}

/** `2026-11-26 10:00–10:42 UTC` for one day, one time when both are equal, else "from to to". */
function period(first: string, last: string): string {
  const a = time(first);
  const b = time(last);
  if (a === b) return a;
  const formatted = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/;
  const sameDay = formatted.test(a) && formatted.test(b) && a.slice(0, 11) === b.slice(0, 11);
  return sameDay ? `${a.slice(0, 16)}–${b.slice(11)}` : `${a} to ${b}`;
}

export function alertRows(report: WeeklyReport, collectionComplete: boolean): string[] {
  const rows = heading('Alerts of the week', 'Most severe first, with whether each notification reached its channels.');
  const alerts = [...report.alerts].sort(
    (a, b) => (SEVERITY_ORDER[b.severity] ?? 0) - (SEVERITY_ORDER[a.severity] ?? 0) || b.lastSeen.localeCompare(a.lastSeen),
  );
  if (alerts.length === 0) return [...rows, none(collectionComplete, 'No alerts this week.')];
  const columns: Column[] = [
    { title: 'Severity', width: 80 },
    { title: 'Alert' },
    { title: 'App', width: 170 },
    { title: 'Events', width: 50, align: 'right' },
    { title: 'Delivery', width: 110 },
  ];
  const cells = capped(alerts).map((a) => [
    severityBadge(a.severity),
    `${text(a.title, 160)}<br>${small(`${text(a.ruleId, 60)}<br>${period(a.firstSeen, a.lastSeen)}`)}`,
    appCell(a.appId, a.appDisplayName),
    num(a.count),
    delivery(a),
  ]);
  return [...rows, dataTable(columns, cells, alerts.length)];
}

/** Why there is no comparison, when there is none: only a first report is expected to lack one. */
const NO_CHANGES: Readonly<Record<WeeklyReport['changesStatus'], string>> = Object.freeze({
  firstReport: 'First report — no comparison with last week yet.',
  noInventory: `<b style="color:${COLOR.amber};">UNKNOWN:</b> no inventory was collected this week, so what changed cannot be shown. This is not "no changes".`,
  previousWithoutInventory: `<b style="color:${COLOR.amber};">UNKNOWN:</b> last week's report kept no inventory to compare with; changes are shown from next week.`,
  compared: `<b style="color:${COLOR.amber};">UNKNOWN:</b> the comparison with last week is missing from this report.`,
});

export function changeRows(report: WeeklyReport, collectionComplete: boolean): string[] {
  const c = report.changes;
  const rows = heading(
    c ? `Changes since last week <span style="font-weight:normal;color:${COLOR.subtle};">(${text(c.since, 20)})</span>` : 'Changes since last week',
  );
  if (c === null) return [...rows, paragraph(NO_CHANGES[report.changesStatus] ?? NO_CHANGES.compared)];
  // Notes say what could not be compared (e.g. grants after a failed read): shown first, so an empty list below is read correctly.
  for (const note of capped(c.notes, 10)) rows.push(paragraph(`<span style="color:${COLOR.amber};">${text(note, 400)}</span>`));
  if (c.newCredentials.length + c.removedCredentials.length + c.newGrants.length + c.newApps.length === 0) {
    return [...rows, none(collectionComplete && c.notes.length === 0, 'No new or removed credentials, grants or apps.')];
  }
  if (c.newCredentials.length > 0) rows.push(subheading(`New credentials (${num(c.newCredentials.length)})`), credentialTable(c.newCredentials));
  if (c.removedCredentials.length > 0)
    rows.push(subheading(`Removed credentials (${num(c.removedCredentials.length)})`), credentialTable(c.removedCredentials));
  if (c.newGrants.length > 0) {
    const cells = capped(c.newGrants).map((g) => [appCell(g.appId, g.displayName), text(g.permission, 80)]);
    rows.push(
      subheading(`New permission grants (${num(c.newGrants.length)})`),
      dataTable([{ title: 'App', width: 260 }, { title: 'Permission' }], cells, c.newGrants.length),
    );
  }
  if (c.newApps.length > 0) {
    const cells = capped(c.newApps).map((a) => [appCell(a.appId, a.displayName)]);
    rows.push(subheading(`New apps (${num(c.newApps.length)})`), dataTable([{ title: 'App' }], cells, c.newApps.length));
  }
  return rows;
}
