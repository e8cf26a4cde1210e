/**
 * The weekly report's headline as one Teams message (Adaptive Card 1.4 in a Workflows envelope):
 * the summary numbers against last week, the three most exposed apps, the critical and high alerts,
 * and any source that was not collected. The full report goes by email; this card says whether to
 * open it. As on the alert cards (docs/teams.md), every value from the model — tenant, app names,
 * permissions, source names, even metric labels read back from a stored report — goes into TextRuns,
 * which Teams never reads as Markdown (https://adaptivecards.io/explorer/TextRun.html), cleaned once
 * by src/present/text.ts; TextBlocks carry only credwatch's own plain words.
 */
import { fallbackText } from '../alerts/channels/teams-card.js';
import {
  adaptiveCard,
  heading,
  messageBytes,
  openUrl,
  richText,
  teamsMessage,
  TEAMS_MESSAGE_BUDGET_BYTES,
  type CardElement,
  type RichTextBlock,
  type TeamsMessage,
} from '../alerts/channels/teams-adaptive.js';
import { entraAppUrl } from '../alerts/payload.js';
import { untrusted, untrustedList } from '../present/text.js';
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
  const title = `credwatch weekly exposure report · ${untrusted(report.week, 20)} · ${untrusted(report.tenant, 60)}`;

  const body: CardElement[] = [
    {
      type: 'Container',
      style: critical + high > 0 ? 'attention' : 'emphasis',
      bleed: true,
      items: [
        richText(title, { weight: 'bolder', size: 'large' }),
        { type: 'TextBlock', text: `Alerts this week: ${critical} critical, ${high} high, ${report.alerts.length} in total`, spacing: 'none', wrap: true },
      ],
    },
    heading('This week against last week'),
    ...report.summary.slice(0, limits.metrics).map((m) => metricLine(m, limits.nameChars)),
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
  return teamsMessage(adaptiveCard(fallbackText(`${title} · ${critical} critical, ${high} high alerts${urgent ? ' · needs attention' : ''}`), body, actions));
}

/** "Sign-ins outside allowlists: **37 (▲ +37)**" on one line, the number in bold. */
function metricLine(m: Metric, labelChars: number): RichTextBlock {
  return {
    type: 'RichTextBlock',
    spacing: 'none',
    inlines: [
      { type: 'TextRun', text: `${untrusted(m.label, labelChars)}: ` },
      { type: 'TextRun', text: metricValue(m), weight: 'bolder' },
    ],
  };
}

function topApps(report: WeeklyReport, nameChars: number): CardElement[] {
  const ranked = [...report.exposure].sort((a, b) => b.score - a.score).slice(0, TOP_APPS);
  if (ranked.length === 0) return [{ type: 'TextBlock', text: "No mailbox-capable apps in this week's data.", separator: true, wrap: true }];
  return [
    heading('Most exposed apps'),
    ...ranked.map((r): RichTextBlock => ({
      type: 'RichTextBlock',
      spacing: 'small',
      inlines: [
        { type: 'TextRun', text: untrusted(r.displayName, nameChars), weight: 'bolder' },
        { type: 'TextRun', text: ` · score ${r.score}${r.mailboxPermissions.length > 0 ? ` · ${untrustedList(r.mailboxPermissions, 3, 40)}` : ''}` },
      ],
    })),
  ];
}

/**
 * Every source not read completely, labelled UNKNOWN so a quiet week is not mistaken for a clean
 * one. A problem sits on a coloured container with default text: Teams' `warning` text colour on
 * white is yellow at 1.4:1 (test/fixtures/adaptivecards/microsoft-teams-light.json).
 */
function health(report: WeeklyReport, problems: WeeklyReport['health'], limit: number): CardElement[] {
  if (report.health.length === 0)
    return [
      {
        type: 'Container',
        style: 'attention',
        separator: true,
        items: [{ type: 'TextBlock', text: 'Data collection: UNKNOWN, no scan was recorded this week.', weight: 'bolder', wrap: true }],
      },
    ];
  if (problems.length === 0)
    return [{ type: 'TextBlock', text: `Data collection: all ${report.health.length} sources complete.`, separator: true, wrap: true }];
  const listed = problems
    .slice(0, limit)
    .map(
      (h) =>
        `${untrusted(sourceName(h.source), 60)} ${h.status === 'partial' ? 'partial' : `UNKNOWN (${h.status === 'failed' ? 'failed' : h.status === 'notLicensed' ? 'not licensed' : 'not collected'})`}`,
    );
  const rest = problems.length - listed.length;
  return [
    {
      type: 'Container',
      style: 'warning',
      separator: true,
      items: [
        richText(
          `Data collection problems (${problems.length}): ${listed.join('; ')}${rest > 0 ? ` and ${rest} more` : ''}. Findings from these sources are unknown, not clean.`,
        ),
      ],
    },
  ];
}
