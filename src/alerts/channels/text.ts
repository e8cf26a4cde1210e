/**
 * The alert view (src/present/) as plain text: what the stdout channel prints and what an alert
 * email attaches as `alert.txt` for ticketing systems that strip HTML. Sectioned like the card and
 * the email, facts in the same order.
 */
import type { AlertView } from '../../present/alert-view.js';
import type { DigestView } from '../../present/digest-view.js';
import { formatTable } from '../../render/text.js';

/** One alert as text. */
export function formatAlertText(view: AlertView): string {
  const width = Math.max(...view.facts.map((f) => f.label.length));
  const lines = [
    view.heading,
    `credwatch · ${view.status} · tenant ${view.tenant}`,
    view.summary,
    '',
    'WHAT HAPPENED',
    ...view.facts.map((f) => `  ${`${f.label}:`.padEnd(width + 2)}${f.value}`),
    '',
    'WHY IT MATTERS',
    `  ${view.why}`,
  ];
  if (view.mailboxReach) lines.push(`  ${view.mailboxReach}`);
  if (view.steps.length > 0) lines.push('', 'WHAT TO DO', ...view.steps.map((s, i) => `  ${i + 1}. ${s}`));
  if (view.stepsOmitted > 0) lines.push(`  And ${view.stepsOmitted} more: see this rule in docs/rules.md.`);
  if (view.links.entra) lines.push('', 'OPEN THE APP IN THE ENTRA ADMIN CENTER', `  ${view.links.entra}`);
  lines.push('');
  return lines.join('\n');
}

/** Many alerts as one aligned table, in the digest's order. */
export function formatDigestText(view: DigestView): string {
  const table = formatTable(
    ['SEVERITY', 'RULE', 'APP', 'EVENTS', 'LAST SEEN', 'ALERT ID'],
    view.entries.map((e) => [e.severityLabel, e.title, e.appName, String(e.count), e.lastSeen, e.alertId]),
  );
  return `credwatch · ${view.heading}: ${view.counts}\n\n${table}\n`;
}
