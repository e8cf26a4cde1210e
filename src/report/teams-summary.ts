/**
 * The weekly report's headline as one Teams message (Adaptive Card 1.4 in a Workflows envelope):
 * the summary numbers against last week, the three most exposed apps, the critical and high alerts,
 * and any source that was not collected. The full report goes by email; this card says whether to
 * open it. Every string from the model goes through cardText (Markdown-escaped, URLs defanged).
 */
import {
  adaptiveCard,
  messageBytes,
  openUrl,
  teamsMessage,
  TEAMS_MESSAGE_BUDGET_BYTES,
  type CardElement,
  type Fact,
  type TeamsMessage,
  type TextBlock,
} from '../alerts/channels/teams-adaptive.js';
import { cardList, cardText } from '../alerts/channels/teams-text.js';
import { entraAppUrl } from '../alerts/payload.js';
import { isAppId, sourceName } from './html-kit.js';
import type { Metric, WeeklyReport } from './types.js';

/** Apps named on the card. */
export const TOP_APPS = 3;

/** How much of each part fits; later steps are tried only if the message is over budget. */
interface Limits {
  metrics: number;
  nameChars: number;
  problems: number;
}

const LADDER: readonly Limits[] = [
  { metrics: 16, nameChars: 80, problems: 8 },
  { metrics: 10, nameChars: 40, problems: 4 },
  { metrics: 6, nameChars: 24, problems: 2 },
];

/** "12 (▲ +3)", "12 (no change)", "unknown": never 0 for a value that was not collected. */
export function metricValue(m: Metric): string {
  if (m.value === null) return 'unknown (not collected)';
  const delta = m.delta ?? (m.previous !== null ? m.value - m.previous : null);
  const change = delta === null ? 'change unknown' : delta === 0 ? 'no change' : delta > 0 ? `▲ +${count(delta)}` : `▼ −${count(-delta)}`;
  return `${count(m.value)} (${change})`;
}

function count(n: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

/** The Workflows message for the week, trimmed (fewer metrics, shorter names) until it fits `maxBytes`. */
export function renderTeamsSummary(report: WeeklyReport, maxBytes = TEAMS_MESSAGE_BUDGET_BYTES): TeamsMessage {
  let message = summaryMessage(report, LADDER[0]!);
  for (const limits of LADDER.slice(1)) {
    if (messageBytes(message) <= maxBytes) break;
    message = summaryMessage(report, limits);
  }
  return message;
}

function summaryMessage(report: WeeklyReport, limits: Limits): TeamsMessage {
  const critical = report.alerts.filter((a) => a.severity === 'critical').length;
  const high = report.alerts.filter((a) => a.severity === 'high').length;
  const problems = report.health.filter((h) => h.status !== 'complete');
  const urgent = critical + high > 0 || problems.length > 0 || report.health.length === 0;
  const title = `credwatch weekly exposure report · ${cardText(report.week, 20)} · ${cardText(report.tenant, 60)}`;

  const body: CardElement[] = [
    {
      type: 'Container',
      style: critical + high > 0 ? 'attention' : 'emphasis',
      bleed: true,
      items: [
        { type: 'TextBlock', text: title, weight: 'bolder', size: 'large', wrap: true },
        {
          type: 'TextBlock',
          text: `Alerts this week: ${critical} critical, ${high} high, ${report.alerts.length} in total`,
          color: critical + high > 0 ? 'attention' : 'default',
          spacing: 'none',
          wrap: true,
        },
      ],
    },
    { type: 'FactSet', facts: report.summary.slice(0, limits.metrics).map((m): Fact => ({ title: cardText(m.label, 60), value: metricValue(m) })) },
    ...topApps(report, limits.nameChars),
    ...health(report, problems, limits.problems),
  ];
  if (report.summary.some((m) => m.value === null || m.delta === null)) {
    body.push({
      type: 'TextBlock',
      text: 'unknown: not collected or nothing to compare with; never counted as zero.',
      isSubtle: true,
      size: 'small',
      wrap: true,
    });
  }
  body.push({ type: 'TextBlock', text: 'The full report with every list is in the weekly email.', isSubtle: true, size: 'small', wrap: true });

  const top = [...report.exposure].sort((a, b) => b.score - a.score)[0];
  const actions = top && isAppId(top.appId) ? openUrl('Open the most exposed app in Entra', entraAppUrl(top.appId)) : [];
  const fallback = `${title} · ${critical} critical, ${high} high alerts${urgent ? ' · needs attention' : ''}`;
  return teamsMessage(adaptiveCard(fallback, body, actions));
}

function topApps(report: WeeklyReport, nameChars: number): TextBlock[] {
  const ranked = [...report.exposure].sort((a, b) => b.score - a.score).slice(0, TOP_APPS);
  if (ranked.length === 0) return [{ type: 'TextBlock', text: "No mailbox-capable apps in this week's data.", separator: true, wrap: true }];
  return [
    { type: 'TextBlock', text: 'Most exposed apps', weight: 'bolder', separator: true, wrap: true },
    ...ranked.map((r): TextBlock => ({
      type: 'TextBlock',
      // The rank is a word, not "1.", which Markdown would turn into a list item.
      text: `**${cardText(r.displayName, nameChars)}** · score ${r.score}${r.mailboxPermissions.length > 0 ? ` · ${cardList(r.mailboxPermissions, 3, 40)}` : ''}`,
      spacing: 'small',
      wrap: true,
    })),
  ];
}

/** Every source not read completely, labelled UNKNOWN so a quiet week is not mistaken for a clean one. */
function health(report: WeeklyReport, problems: WeeklyReport['health'], limit: number): TextBlock[] {
  if (report.health.length === 0)
    return [
      {
        type: 'TextBlock',
        text: 'Data collection: UNKNOWN, no scan was recorded this week.',
        color: 'attention',
        weight: 'bolder',
        separator: true,
        wrap: true,
      },
    ];
  if (problems.length === 0)
    return [{ type: 'TextBlock', text: `Data collection: all ${report.health.length} sources complete.`, color: 'good', separator: true, wrap: true }];
  const listed = problems
    .slice(0, limit)
    .map(
      (h) =>
        `${cardText(sourceName(h.source), 60)} ${h.status === 'partial' ? 'partial' : `UNKNOWN (${h.status === 'failed' ? 'failed' : h.status === 'notLicensed' ? 'not licensed' : 'not collected'})`}`,
    );
  const rest = problems.length - listed.length;
  return [
    {
      type: 'TextBlock',
      text: `Data collection problems (${problems.length}): ${listed.join('; ')}${rest > 0 ? ` … and ${rest} more` : ''}. Findings from these sources are unknown, not clean.`,
      color: 'warning',
      separator: true,
      wrap: true,
    },
  ];
}
