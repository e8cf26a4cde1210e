/**
 * One alert as an Adaptive Card: what happened, why it matters, what to do, and a button to the
 * app in the Entra admin center. Every string from the payload goes through cardText, including
 * the rule's own text (runbooks name `full_access_as_app`, whose underscores would italicise).
 */
import { updateParts } from '../facts.js';
import { escalationOf, updateOf, type AlertPayload } from '../payload.js';
import {
  adaptiveCard,
  ENTRA_SIGN_IN_LOGS_URL,
  messageBytes,
  openUrl,
  SEVERITY_STYLE,
  teamsMessage,
  TEAMS_MESSAGE_BUDGET_BYTES,
  type CardElement,
  type Fact,
  type TeamsMessage,
  type TextBlock,
} from './teams-adaptive.js';
import { cardList, cardText, cardTime } from './teams-text.js';

/** How much of each part fits; the renderer steps down this ladder until the message fits. */
interface Limits {
  listItems: number;
  runbookSteps: number;
  stepChars: number;
  summaryChars: number;
  descriptionChars: number;
  factChars: number;
}

// Trimmed in the order that loses least: long IP lists first, then runbook detail, then prose.
const LADDER: readonly Limits[] = [
  { listItems: 20, runbookSteps: 20, stepChars: 500, summaryChars: 1000, descriptionChars: 1000, factChars: 200 },
  { listItems: 10, runbookSteps: 20, stepChars: 500, summaryChars: 1000, descriptionChars: 1000, factChars: 200 },
  { listItems: 3, runbookSteps: 20, stepChars: 500, summaryChars: 1000, descriptionChars: 1000, factChars: 200 },
  { listItems: 3, runbookSteps: 20, stepChars: 200, summaryChars: 1000, descriptionChars: 1000, factChars: 200 },
  { listItems: 3, runbookSteps: 3, stepChars: 200, summaryChars: 1000, descriptionChars: 1000, factChars: 200 },
  { listItems: 1, runbookSteps: 3, stepChars: 200, summaryChars: 300, descriptionChars: 300, factChars: 120 },
  { listItems: 1, runbookSteps: 1, stepChars: 120, summaryChars: 120, descriptionChars: 120, factChars: 60 },
];

const TITLE_CHARS = 120;
// The mailbox permissions rules name in summaries (docs/inventory.md: Exchange and Graph app roles). Only
// the summary counts: descriptions speak conditionally ("critical when the app holds…").
const MAILBOX_PERMISSION = /full_access_as_app|Exchange\.ManageAsApp|Mail\.(?:ReadWrite|ReadBasic\.All|Read|Send)\b|MailboxSettings\.ReadWrite/;

/**
 * The Workflows message for one alert, trimmed (lists first, then runbook, then prose, each saying
 * how much was left out) until its serialized size is within `maxBytes`.
 */
export function renderAlertMessage(alert: AlertPayload, maxBytes = TEAMS_MESSAGE_BUDGET_BYTES): TeamsMessage {
  let message = teamsMessage(alertCard(alert, LADDER[0]!));
  for (const limits of LADDER.slice(1)) {
    if (messageBytes(message) <= maxBytes) break;
    message = teamsMessage(alertCard(alert, limits));
  }
  return message;
}

/**
 * `CRITICAL · Vendor certificate used outside its allowed networks`; `Escalated to CRITICAL · …`
 * for an escalation, `Update: CRITICAL · …` for an update (an escalation says more, so it wins).
 */
export function alertTitle(alert: AlertPayload, titleChars = TITLE_CHARS): string {
  const severity = alert.severity.toUpperCase();
  const head = escalationOf(alert) ? `Escalated to ${severity}` : updateOf(alert) ? `Update: ${severity}` : severity;
  return `${head} · ${cardText(alert.rule.title, titleChars)}`;
}

function status(a: AlertPayload): string {
  const from = escalationOf(a);
  if (from) return `escalated from ${cardText(from.toUpperCase(), 20)}: ${a.count} in total`;
  if (updateOf(a)) return `update, something new: ${a.count} in total`;
  return a.notification > 0 ? `still happening: ${a.count} in total` : 'new alert';
}

/** "first successful sign-in; new IP address 203.0.113.9": what an update adds, escaped and capped. */
export function updateText(a: AlertPayload, listItems: number): string | undefined {
  const update = updateOf(a);
  if (!update) return undefined;
  return updateParts(update)
    .map((p) => (p.values.length > 0 ? `${p.label} ${cardList(p.values, listItems, 80)}` : p.label))
    .join('; ');
}

function alertCard(a: AlertPayload, limits: Limits) {
  const style = SEVERITY_STYLE[a.severity];
  const body: CardElement[] = [
    {
      type: 'Container',
      style: style.container,
      bleed: true,
      items: [
        { type: 'TextBlock', text: alertTitle(a), weight: 'bolder', size: 'large', color: style.color, wrap: true },
        { type: 'TextBlock', text: `credwatch · ${status(a)} · tenant ${cardText(a.tenant, 60)}`, isSubtle: true, spacing: 'none', wrap: true },
      ],
    },
    heading('What happened'),
    { type: 'TextBlock', text: cardText(a.summary, limits.summaryChars), wrap: true },
    { type: 'FactSet', facts: facts(a, limits) },
    heading('Why it matters'),
    { type: 'TextBlock', text: cardText(a.rule.description, limits.descriptionChars), wrap: true },
    ...mailboxReach(a),
    heading('What to do'),
    ...runbook(a.rule.runbook, limits),
  ];
  const actions = [...openUrl('Open in Entra admin center', a.app.entraUrl), ...openUrl('Sign-in logs', ENTRA_SIGN_IN_LOGS_URL)];
  return adaptiveCard(`${alertTitle(a)} · ${cardText(a.app.displayName, limits.factChars)}`, body, actions);
}

function heading(text: string): TextBlock {
  return { type: 'TextBlock', text, weight: 'bolder', size: 'medium', separator: true, wrap: true };
}

function facts(a: AlertPayload, limits: Limits): Fact[] {
  const n = limits.listItems;
  const outcome = a.successCount + a.failureCount > 0 ? ` (${a.successCount} succeeded, ${a.failureCount} failed)` : '';
  const out: Fact[] = [{ title: 'App', value: `${cardText(a.app.displayName, limits.factChars)} (${cardText(a.app.appId, 40)})` }];
  const news = updateText(a, n);
  if (news) out.push({ title: 'New since last notification', value: news });
  if (a.allowlist.length > 0) out.push({ title: 'Vendor / allowlist', value: allowlistText(a, limits) });
  if (a.network) out.push({ title: 'Network', value: cardText(a.network, limits.factChars) });
  if (a.credentialKeyId) out.push({ title: 'Credential key id', value: cardText(a.credentialKeyId, 60) });
  if (a.ips.length > 0) out.push({ title: 'IP addresses', value: cardList(a.ips, n, 45) });
  if (a.countries.length > 0) out.push({ title: 'Countries', value: cardList(a.countries, n, 40) });
  if (a.asns.length > 0)
    out.push({
      title: 'ASNs',
      value: cardList(
        a.asns.map((x) => `AS${x}`),
        n,
        20,
      ),
    });
  out.push(
    { title: 'First seen', value: cardTime(a.firstSeen) },
    { title: 'Last seen', value: cardTime(a.lastSeen) },
    { title: 'Count', value: `${a.count}${outcome}` },
  );
  if (a.resources.length > 0) out.push({ title: 'Resource', value: cardList(a.resources, n, 80) });
  out.push({ title: 'Tenant', value: cardText(a.tenant, limits.factChars) }, { title: 'Alert id', value: cardText(a.alertId, 80) });
  return out;
}

/** "Mimecast · 12 allowed ranges · STALE": vendors named once, ranges counted, staleness flagged. */
function allowlistText(a: AlertPayload, limits: Limits): string {
  const vendors = [...new Set(a.allowlist.map((p) => p.vendor))];
  const stale = a.allowlist.some((p) => p.stale) ? ' · STALE' : '';
  const ranges = `${a.allowlist.length} allowed range${a.allowlist.length === 1 ? '' : 's'}`;
  return `${cardList(vendors, limits.listItems, 60)} · ${ranges}${stale}`;
}

/** Graph cannot see Exchange scoping, so an app-wide mailbox role reaches every mailbox unless scoped there (docs/inventory.md). */
function mailboxReach(a: AlertPayload): TextBlock[] {
  const permission = MAILBOX_PERMISSION.exec(a.summary)?.[0];
  if (!permission) return [];
  return [
    {
      type: 'TextBlock',
      text: `Mailbox reach: the app holds ${cardText(permission, 40)}. Unless an Exchange Application Access Policy or RBAC for Applications scopes it, whoever holds its credential reaches every mailbox in the tenant.`,
      color: 'attention',
      wrap: true,
    },
  ];
}

function runbook(steps: readonly string[], limits: Limits): TextBlock[] {
  if (steps.length === 0) return [{ type: 'TextBlock', text: 'This rule has no runbook; see docs/rules.md.', wrap: true }];
  const shown = steps.slice(0, limits.runbookSteps);
  const blocks: TextBlock[] = shown.map((step, i) => ({
    type: 'TextBlock',
    text: `${i + 1}. ${cardText(step, limits.stepChars)}`,
    wrap: true,
    spacing: 'small',
  }));
  const rest = steps.length - shown.length;
  if (rest > 0)
    blocks.push({ type: 'TextBlock', text: `… and ${rest} more step${rest === 1 ? '' : 's'}: see this rule in docs/rules.md.`, isSubtle: true, wrap: true });
  return blocks;
}
