/**
 * docs/rules.md, generated from the catalogue so the page can never drift from the code (a test
 * compares them). Responders read it next to an alert: what fired, why it matters, what to do.
 */
import type { Rule, RuleInputType } from './types.js';

/** Catalogue entries not implemented yet, listed so the page shows the whole intended coverage. */
export const PLANNED_RULES: ReadonlyArray<{ id: string; title: string; why: string }> = [
  {
    id: 'posture-privileged-credential-unused',
    title: 'Privileged credential unused for 30 days or more',
    why: 'Needs last-use data per credential (from sign-in aggregates), which credwatch does not keep yet.',
  },
  {
    id: 'posture-allowlist-stale',
    title: 'Allowlist source stale',
    why: 'Reported by the scan as a data-collection health signal (and in the weekly report), not as a rule finding.',
  },
];

const INPUT_LABELS: Readonly<Record<RuleInputType, string>> = {
  signIn: 'service-principal sign-in',
  audit: 'directory audit event',
  inventoryChange: 'inventory diff',
  posture: 'inventory posture',
  collectionHealth: 'scan health (credwatch\'s own collection)',
};

/** Table cells cannot hold a raw pipe or a line break. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function mitreLink(id: string): string {
  return `[${id}](https://attack.mitre.org/techniques/${id.replace('.', '/')}/)`;
}

function section(rule: Rule): string {
  const lines = [
    `## ${rule.id}`,
    '',
    `**${rule.title}** — ${rule.status}`,
    '',
    rule.description,
    '',
    `- Severity: ${rule.severity} at most (see the description for when it is lower)`,
    `- Input: ${INPUT_LABELS[rule.input]}`,
    `- MITRE ATT&CK: ${rule.mitre.map(mitreLink).join(', ')}`,
    `- Test cases: ${rule.cases.filter((c) => c.expect.length > 0).length} positive, ${rule.cases.filter((c) => c.expect.length === 0).length} negative`,
    '',
    '### False positives',
    '',
    ...rule.falsePositives.map((fp) => `- ${fp}`),
    '',
    '### Runbook',
    '',
    ...rule.runbook.map((step, i) => `${i + 1}. ${step}`),
    '',
  ];
  return lines.join('\n');
}

/** The whole page: summary table, planned rules, then one section per rule. */
export function renderRulesDoc(rules: readonly Rule[]): string {
  const table = [
    '| id | title | severity (highest) | input | status |',
    '|---|---|---|---|---|',
    ...rules.map((r) => `| [\`${r.id}\`](#${r.id}) | ${cell(r.title)} | ${r.severity} | ${INPUT_LABELS[r.input]} | ${r.status} |`),
  ];
  const planned = PLANNED_RULES.map((p) => `- \`${p.id}\` — ${p.title}. ${p.why}`);
  return [
    '# Detection rules',
    '',
    '<!-- Generated from src/rules/ by `npm run docs`; edit the rule files, not this page. -->',
    '',
    'Every rule has a stable id (never reused), a severity, MITRE ATT&CK techniques, known false positives, a runbook and its own positive and negative test cases. Findings are grouped into alerts by rule, app, credential and network.',
    '',
    ...table,
    '',
    '## Planned',
    '',
    ...planned,
    '',
    ...rules.map(section),
  ].join('\n');
}
