/**
 * docs/rules.md, generated from the catalogue so the page can never drift from the code (a test
 * compares them). Responders read it next to an alert: what fired, why it matters, what to do.
 */
import { GRANT_AUDIT_ROWS_DOC } from './mailbox-permission-audit-rows.js';
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
  collectionHealth: "scan health (credwatch's own collection)",
};

/** Table cells cannot hold a raw pipe or a line break. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function mitreLink(id: string): string {
  return `[${id}](https://attack.mitre.org/techniques/${id.replace('.', '/')}/)`;
}

const FINDING_LABELS: Readonly<Record<Rule['finding'], string>> = {
  event: 'event (findings are grouped into alerts within the grouping window)',
  state: 'state (one alert per state, without a time window; re-evaluating it every scan is not a new occurrence)',
};

/** `credential-added` (shared with `credential-added-diff`): which rules notify as one alert. */
function familyLine(rule: Rule, rules: readonly Rule[]): string {
  const others = rules.filter((r) => r.family === rule.family && r.id !== rule.id).map((r) => `\`${r.id}\``);
  return `- Alert family: \`${rule.family}\`${others.length > 0 ? ` (shared with ${others.join(', ')}: one change seen two ways is notified once)` : ''}`;
}

function section(rule: Rule, rules: readonly Rule[]): string {
  const lines = [
    `## ${rule.id}`,
    '',
    `**${rule.title}** — ${rule.status}`,
    '',
    rule.description,
    '',
    `- Severity: ${rule.severity} at most (see the description for when it is lower)`,
    `- Input: ${INPUT_LABELS[rule.input]}`,
    `- Finding: ${FINDING_LABELS[rule.finding]}`,
    familyLine(rule, rules),
    `- MITRE ATT&CK: ${rule.mitre.map(mitreLink).join(', ')}`,
    // The cases are built from a test-only kit, so the page points at them rather than running them.
    `- Test cases: positive and negative, next to the rule in \`src/rules/${rule.id}.ts\` (run by \`test/rules/cases.test.ts\`)`,
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
    'Every rule has a stable id (never reused), a severity, MITRE ATT&CK techniques, known false positives, a runbook and its own positive and negative test cases. Findings are grouped into alerts by alert family (the rule, or the rule it shares alerts with), app, credential and network. A retired rule is never deleted: it stays here as `deprecated`, stops running, and alerts and suppressions that name it keep working.',
    '',
    "Every sign-in of an app with an allowlist is judged by exactly one of the four outside-allowlist rules, chosen by its `clientCredentialType`: `signin-cert-outside-allowlist` (certificate, clientAssertion), `signin-secret-outside-allowlist` (clientSecret), `signin-federated-outside-allowlist` (federatedIdentityCredential) and `signin-other-credential-outside-allowlist` (none, unknownFutureValue, an undocumented value, no value). A `managedIdentity` sign-in is not judged when the inventory shows the service principal is a managed identity (an Azure resource of the customer's own, with no credential to replay elsewhere); otherwise it goes to the last rule. All four grade alike, so the credential type named in the log cannot lower the alert for the Mimecast pattern:",
    '',
    '| outside the allowed ranges | app reaches every mailbox | other app |',
    '|---|---|---|',
    '| succeeded, or outcome unknown (a status without `errorCode`) | critical | high |',
    '| failed | high | medium |',
    '| no usable IP address (missing or unparseable) | one level lower, and the finding says so | one level lower, and the finding says so |',
    '',
    ...table,
    '',
    '## Planned',
    '',
    ...planned,
    '',
    ...rules.map((rule) => section(rule, rules)),
    GRANT_AUDIT_ROWS_DOC,
  ].join('\n');
}
