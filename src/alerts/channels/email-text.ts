/**
 * The plain-text rendering of an alert email, attached as `alert.txt`: the same view as the HTML,
 * for ticketing systems that strip HTML and for responders who paste it into a case.
 */
import { formatTable } from '../../render/text.js';
import { roundNote, type AlertView } from './email-view.js';

/** One alert as text, sectioned like the HTML. */
export function renderAlertText(view: AlertView): string {
  const width = Math.max(...view.facts.map(([label]) => label.length));
  const lines = [
    `[${view.severityLabel}] ${view.title}${roundNote(view)}`,
    view.headline,
    '',
    'WHAT HAPPENED',
    ...view.facts.map(([label, value]) => `  ${`${label}:`.padEnd(width + 2)}${value}`),
    '',
    'WHY IT MATTERS',
    `  ${view.why}`,
  ];
  if (view.steps.length > 0) lines.push('', 'WHAT TO DO', ...view.steps.map((s, i) => `  ${i + 1}. ${s}`));
  if (view.entraUrl) lines.push('', 'OPEN THE APP IN THE ENTRA ADMIN CENTER', `  ${view.entraUrl}`);
  lines.push('');
  return lines.join('\n');
}

/** Many alerts as one aligned table, most severe first (the caller orders them). */
export function renderDigestText(views: readonly AlertView[]): string {
  const table = formatTable(
    ['SEVERITY', 'RULE', 'APP', 'EVENTS', 'LAST SEEN', 'ALERT ID'],
    views.map((v) => [v.severityLabel, v.title, v.appName, String(v.count), v.lastSeen, v.alertId]),
  );
  return `${views.length} credwatch alert${views.length === 1 ? '' : 's'}\n\n${table}\n`;
}
