/**
 * Many alerts as one Adaptive Card, most severe first, so a flood of findings arrives as one
 * message instead of tripping Teams' ~4 requests/second throttle.
 */
import { SEVERITY_ORDER } from '../../events.js';
import type { AlertPayload } from '../payload.js';
import {
  adaptiveCard,
  ENTRA_SIGN_IN_LOGS_URL,
  messageBytes,
  openUrl,
  SEVERITY_STYLE,
  teamsMessage,
  TEAMS_MESSAGE_BUDGET_BYTES,
  type CardElement,
  type Container,
  type TeamsMessage,
} from './teams-adaptive.js';
import { alertTitle, updateText } from './teams-card.js';
import { cardText, cardTime } from './teams-text.js';

/** At most this many alerts are listed; the rest are counted. */
export const DIGEST_MAX_LISTED = 20;

// Fewer alerts first, then shorter names, until the message fits.
const LADDER: ReadonlyArray<{ listed: number; textChars: number }> = [
  { listed: DIGEST_MAX_LISTED, textChars: 120 },
  { listed: 15, textChars: 120 },
  { listed: 10, textChars: 80 },
  { listed: 5, textChars: 60 },
  { listed: 1, textChars: 40 },
];

/** Most severe first; within a severity the most recent first; the alert id breaks ties so the order is stable. */
export function digestOrder(alerts: readonly AlertPayload[]): AlertPayload[] {
  return [...alerts].sort(
    (a, b) => SEVERITY_ORDER[b.severity] - SEVERITY_ORDER[a.severity] || b.lastSeen.localeCompare(a.lastSeen) || a.alertId.localeCompare(b.alertId),
  );
}

/** One Workflows message listing up to {@link DIGEST_MAX_LISTED} alerts, trimmed until it fits `maxBytes`. */
export function renderDigestMessage(alerts: readonly AlertPayload[], maxBytes = TEAMS_MESSAGE_BUDGET_BYTES): TeamsMessage {
  const ordered = digestOrder(alerts);
  let message = digestMessage(ordered, LADDER[0]!);
  for (const step of LADDER.slice(1)) {
    if (messageBytes(message) <= maxBytes) break;
    message = digestMessage(ordered, step);
  }
  return message;
}

function digestMessage(ordered: readonly AlertPayload[], step: { listed: number; textChars: number }): TeamsMessage {
  const worst = ordered[0]?.severity ?? 'informational';
  const style = SEVERITY_STYLE[worst];
  const shown = ordered.slice(0, step.listed);
  const rest = ordered.length - shown.length;
  const counts = countBySeverity(ordered);
  const body: CardElement[] = [
    {
      type: 'Container',
      style: style.container,
      bleed: true,
      items: [
        {
          type: 'TextBlock',
          text: `credwatch · ${ordered.length} alert${ordered.length === 1 ? '' : 's'}`,
          weight: 'bolder',
          size: 'large',
          color: style.color,
          wrap: true,
        },
        {
          type: 'TextBlock',
          text: `${counts} · most severe first, sent as one message because many were due at once`,
          isSubtle: true,
          spacing: 'none',
          wrap: true,
        },
      ],
    },
    ...shown.map((a) => digestEntry(a, step.textChars)),
  ];
  if (rest > 0)
    body.push({ type: 'TextBlock', text: `… and ${rest} more alert${rest === 1 ? '' : 's'} not listed here.`, isSubtle: true, separator: true, wrap: true });
  const top = shown[0];
  const actions = [...(top ? openUrl('Open most severe app in Entra', top.app.entraUrl) : []), ...openUrl('Sign-in logs', ENTRA_SIGN_IN_LOGS_URL)];
  return teamsMessage(adaptiveCard(`credwatch · ${ordered.length} alerts · ${counts}`, body, actions));
}

function digestEntry(a: AlertPayload, textChars: number): Container {
  const outcome = a.successCount + a.failureCount > 0 ? ` (${a.successCount} succeeded, ${a.failureCount} failed)` : '';
  // An update names what is new (three items at most: a digest entry is one line).
  const news = updateText(a, 3);
  const repeat = news ? ` · ${news}` : a.notification > 0 ? ' · still happening' : '';
  return {
    type: 'Container',
    separator: true,
    items: [
      { type: 'TextBlock', text: alertTitle(a, textChars), weight: 'bolder', color: SEVERITY_STYLE[a.severity].color, wrap: true },
      {
        type: 'TextBlock',
        text: `${cardText(a.app.displayName, textChars)} (${cardText(a.app.appId, 40)}) · tenant ${cardText(a.tenant, 40)}`,
        spacing: 'none',
        wrap: true,
      },
      {
        type: 'TextBlock',
        text: `Count ${a.count}${outcome}${repeat} · first ${cardTime(a.firstSeen)} · last ${cardTime(a.lastSeen)}`,
        isSubtle: true,
        spacing: 'none',
        wrap: true,
      },
    ],
  };
}

/** "2 critical, 5 high, 1 low" */
function countBySeverity(alerts: readonly AlertPayload[]): string {
  const counts = new Map<string, number>();
  for (const a of alerts) counts.set(a.severity, (counts.get(a.severity) ?? 0) + 1);
  return [...counts].map(([severity, n]) => `${n} ${severity}`).join(', ');
}
