/**
 * One alert as an Adaptive Card: the alert's view (src/present/alert-view.ts) laid out for Teams.
 * What the card says comes from the view; this file decides only how it looks and what fits.
 * Values go into TextRuns, which Teams never reads as Markdown (docs/teams.md), so nothing is
 * escaped: `full_access_as_app` reads as written in every client.
 */
import type { AlertPayload } from '../payload.js';
import { alertView, FULL_LIMITS, type AlertView, type AlertViewLimits } from '../../present/alert-view.js';
import {
  adaptiveCard,
  factBlocks,
  heading,
  messageBytes,
  openUrl,
  richText,
  SEVERITY_STYLE,
  teamsMessage,
  TEAMS_MESSAGE_BUDGET_BYTES,
  type AdaptiveCard,
  type CardElement,
  type TeamsMessage,
} from './teams-adaptive.js';

// Trimmed in the order that loses least: long IP lists first, then runbook detail, then prose.
const LADDER: readonly AlertViewLimits[] = [
  FULL_LIMITS,
  { ...FULL_LIMITS, listItems: 10 },
  { ...FULL_LIMITS, listItems: 3 },
  { ...FULL_LIMITS, listItems: 3, stepChars: 200 },
  { ...FULL_LIMITS, listItems: 3, runbookSteps: 3, stepChars: 200 },
  { listItems: 1, runbookSteps: 3, stepChars: 200, summaryChars: 300, descriptionChars: 300, factChars: 120 },
  { listItems: 1, runbookSteps: 1, stepChars: 120, summaryChars: 160, descriptionChars: 120, factChars: 60 },
];

/**
 * The Workflows message for one alert, trimmed (lists first, then runbook, then prose, each saying
 * how much was left out) until its serialized size is within `maxBytes`.
 */
export function renderAlertMessage(alert: AlertPayload, maxBytes = TEAMS_MESSAGE_BUDGET_BYTES): TeamsMessage {
  let message = teamsMessage(alertCard(alertView(alert, LADDER[0])));
  for (const limits of LADDER.slice(1)) {
    if (messageBytes(message) <= maxBytes) break;
    message = teamsMessage(alertCard(alertView(alert, limits)));
  }
  return message;
}

/** The card for one view. */
export function alertCard(v: AlertView): AdaptiveCard {
  const body: CardElement[] = [
    {
      type: 'Container',
      style: SEVERITY_STYLE[v.severity],
      bleed: true,
      items: [
        richText(v.heading, { weight: 'bolder', size: 'large' }),
        richText(`credwatch · ${v.status} · tenant ${v.tenant}`, { isSubtle: true }, { spacing: 'none' }),
      ],
    },
    heading('What happened'),
    // The summary line: what happened and where from, the app's name capped inside it.
    richText(v.summary, { weight: 'bolder' }),
    ...factBlocks(v.facts),
    heading('Why it matters'),
    richText(v.why),
  ];
  if (v.mailboxReach) body.push({ type: 'Container', style: 'attention', items: [richText(v.mailboxReach, { weight: 'bolder' })] });
  body.push(heading('What to do'), ...runbook(v));
  const actions = [...(v.links.entra ? openUrl('Open in Entra admin center', v.links.entra) : []), ...openUrl('Sign-in logs', v.links.signInLogs)];
  return adaptiveCard(fallbackText(v.heading), body, actions);
}

/**
 * What a client that cannot show the card shows instead. It may be read as Markdown, so it holds
 * only the heading, with anything that could start Markdown blanked rather than escaped.
 */
export function fallbackText(heading: string): string {
  return heading.replace(/[\\`*_[\]<>#~|{}&]/g, ' ');
}

/** One block per step, numbered in the text: a Markdown list's indentation clipped long steps. */
function runbook(v: AlertView): CardElement[] {
  if (v.steps.length === 0) return [{ type: 'TextBlock', text: 'This rule has no runbook. See docs/rules.md.', wrap: true }];
  const blocks: CardElement[] = v.steps.map((step, i) => richText(`${i + 1}. ${step}`, {}, { spacing: 'small' }));
  if (v.stepsOmitted > 0)
    blocks.push({
      type: 'TextBlock',
      text: `And ${v.stepsOmitted} more step${v.stepsOmitted === 1 ? '' : 's'}: see this rule in docs/rules.md.`,
      isSubtle: true,
      wrap: true,
    });
  return blocks;
}
