/**
 * "Needs action now", right under the header: the week's critical and high alerts nobody has
 * suppressed, each with the app (linked to the Entra admin center), what happened and when, and
 * the NOW recommendations. A security manager who reads only the first screen reads this.
 */
import { SEVERITY_ORDER } from '../events.js';
import { about } from './html-posture.js';
import { appCell, COLOR, heading, layoutTable, none, num, paragraph, row, severityBadge, small, SEVERITY_STYLE, text, time } from './html-kit.js';
import type { AlertRow, WeeklyReport } from './types.js';

/** Alerts shown at the top; the rest are in "Alerts of the week", most severe first as well. */
export const ACTION_ALERTS_MAX = 8;

const URGENT: ReadonlySet<string> = new Set(['critical', 'high']);

/** `2026-11-26 10:00 UTC`, or `… to …` when the alert spans time. */
function when(a: AlertRow): string {
  const first = time(a.firstSeen);
  const last = time(a.lastSeen);
  return first === last ? first : `${first} to ${last}`;
}

/** One alert as a block of lines: it reflows on a phone where a five-column table would not. */
function alertBlock(a: AlertRow): string {
  const colour = (SEVERITY_STYLE[a.severity] ?? SEVERITY_STYLE.informational).background;
  const lines = [
    `${severityBadge(a.severity)} <b>${text(a.title, 160)}</b>`,
    `App: ${appCell(a.appId, a.appDisplayName)}`,
    `When: ${when(a)} · ${num(a.count)} event${a.count === 1 ? '' : 's'}`,
  ];
  if (a.blastRadius) lines.push(`Blast radius: ${text(a.blastRadius, 200)}`);
  if (a.delivery.failed > 0) lines.push(`<b style="color:${COLOR.red};">Notification failed ${num(a.delivery.failed)}×</b>: nobody may have been told.`);
  return layoutTable(
    `<tr><td style="padding:8px 12px;border-left:4px solid ${colour};">${lines.join('<br>')}</td></tr>`,
    ' width="100%"',
    'margin:0 0 8px 0;background-color:#FAF9F8;',
  );
}

export function actionNowRows(report: WeeklyReport, collectionComplete: boolean): string[] {
  const rows = heading('Needs action now', 'Critical and high alerts of the week that are not suppressed, and what to do about them first.');
  const alerts = report.alerts
    .filter((a) => !a.suppressed && URGENT.has(a.severity))
    .sort((a, b) => (SEVERITY_ORDER[b.severity] ?? 0) - (SEVERITY_ORDER[a.severity] ?? 0) || b.lastSeen.localeCompare(a.lastSeen));
  const now = report.recommendations.filter((r) => r.priority === 'now');
  if (alerts.length === 0 && now.length === 0) return [...rows, none(collectionComplete, 'Nothing needs action now.')];
  for (const a of alerts.slice(0, ACTION_ALERTS_MAX)) rows.push(row(alertBlock(a)));
  if (alerts.length > ACTION_ALERTS_MAX) rows.push(paragraph(small(`… and ${num(alerts.length - ACTION_ALERTS_MAX)} more under Alerts of the week`)));
  if (now.length > 0) {
    const items = now.map((r) => {
      const refs = about(report, r);
      return `<tr><td valign="top" style="padding:4px 8px 4px 0;white-space:nowrap;"><b>Do now:</b></td><td valign="top" style="padding:4px 0;">${text(r.text, 600)}${refs ? `<br>${refs}` : ''}</td></tr>`;
    });
    rows.push(row(layoutTable(items.join(''), ' width="100%"'), 'padding:4px 16px 8px 16px;'));
  }
  return rows;
}
