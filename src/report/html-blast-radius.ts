/**
 * "Mailbox access by flagged apps": for each alert of the week that asked Purview which mailboxes
 * the app read from the alerted addresses, what it found, or why it is not known
 * (docs/blast-radius.md). Unknown and pending are said as such, never as "0 mailboxes".
 */
import { SEVERITY_ORDER } from '../events.js';
import { appCell, capped, COLOR, dataTable, heading, none, num, severityBadge, small, text, type Column } from './html-kit.js';
import type { AlertRow, WeeklyReport } from './types.js';

/** Mailboxes named per alert; the JSON report has the whole list. */
export const MAILBOXES_SHOWN = 20;

function mailboxes(a: AlertRow): string {
  const read = a.mailboxesRead;
  if (!read) return small('—');
  const shown = read.list.slice(0, MAILBOXES_SHOWN).map((m) => text(m, 80));
  const rest = Math.max(read.count, read.list.length) - shown.length;
  return `${shown.join(', ')}${rest > 0 ? ` … and ${num(rest)} more` : ''}`;
}

function radius(a: AlertRow): string {
  const value = a.blastRadius ?? '';
  const unsettled = value.startsWith('unknown') || value.startsWith('being determined');
  return unsettled ? `<b style="color:${COLOR.amber};">${text(value, 400)}</b>` : text(value, 400);
}

export function blastRadiusRows(report: WeeklyReport, collectionComplete: boolean): string[] {
  const rows = heading(
    'Mailbox access by flagged apps',
    "Which mailboxes an alerted app read from the alerted addresses, from Purview Audit's MailItemsAccessed records. Treat every mailbox listed as read; a sync record means a whole folder.",
  );
  const alerts = report.alerts
    .filter((a) => a.blastRadius !== undefined)
    .sort((a, b) => (SEVERITY_ORDER[b.severity] ?? 0) - (SEVERITY_ORDER[a.severity] ?? 0) || b.lastSeen.localeCompare(a.lastSeen));
  if (alerts.length === 0) return [...rows, none(collectionComplete, 'No alert this week asked for mailbox access.')];
  const columns: Column[] = [
    { title: 'Severity', width: 80 },
    { title: 'App', width: 170 },
    { title: 'Blast radius' },
    { title: 'Mailboxes read', width: 220 },
  ];
  const cells = capped(alerts).map((a) => [
    severityBadge(a.severity),
    `${appCell(a.appId, a.appDisplayName)}<br>${small(text(a.title, 120))}`,
    radius(a),
    mailboxes(a),
  ]);
  return [...rows, dataTable(columns, cells, alerts.length)];
}
