/**
 * Many alerts as one Adaptive Card, most severe first, so a flood of findings arrives as one
 * message instead of tripping Teams' ~4 requests/second throttle. The entries and their wording
 * come from the digest view (src/present/digest-view.ts); this file lays them out and trims.
 */
import type { AlertPayload } from '../payload.js';
import { digestView, type DigestEntry, type DigestView } from '../../present/digest-view.js';
import {
  adaptiveCard,
  messageBytes,
  openUrl,
  richText,
  SEVERITY_STYLE,
  teamsMessage,
  TEAMS_MESSAGE_BUDGET_BYTES,
  type CardElement,
  type Container,
  type TeamsMessage,
} from './teams-adaptive.js';
import { ENTRA_SIGN_IN_LOGS_URL } from '../../present/alert-view.js';

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

/** One Workflows message listing up to {@link DIGEST_MAX_LISTED} alerts, trimmed until it fits `maxBytes`. */
export function renderDigestMessage(alerts: readonly AlertPayload[], maxBytes = TEAMS_MESSAGE_BUDGET_BYTES): TeamsMessage {
  let message = digestMessage(digestView(alerts, LADDER[0]!.listed, LADDER[0]!.textChars));
  for (const step of LADDER.slice(1)) {
    if (messageBytes(message) <= maxBytes) break;
    message = digestMessage(digestView(alerts, step.listed, step.textChars));
  }
  return message;
}

function digestMessage(v: DigestView): TeamsMessage {
  const body: CardElement[] = [
    {
      type: 'Container',
      style: SEVERITY_STYLE[v.severity],
      bleed: true,
      items: [
        richText(`credwatch · ${v.heading}`, { weight: 'bolder', size: 'large' }),
        richText(`${v.counts} · sent as one message because many were due at once`, { isSubtle: true }, { spacing: 'none' }),
      ],
    },
    ...v.entries.map(entry),
  ];
  if (v.omitted > 0)
    body.push({
      type: 'TextBlock',
      text: `And ${v.omitted} more alert${v.omitted === 1 ? '' : 's'} not listed here.`,
      isSubtle: true,
      separator: true,
      wrap: true,
    });
  const top = v.entries[0]?.entraUrl;
  const actions = [...(top ? openUrl('Open most severe app in Entra', top) : []), ...openUrl('Sign-in logs', ENTRA_SIGN_IN_LOGS_URL)];
  return teamsMessage(adaptiveCard(`credwatch · ${v.heading} · ${v.counts}`, body, actions));
}

function entry(e: DigestEntry): Container {
  return {
    type: 'Container',
    separator: true,
    items: [richText(e.heading, { weight: 'bolder' }), richText(e.who, {}, { spacing: 'none' }), richText(e.activity, { isSubtle: true }, { spacing: 'none' })],
  };
}
