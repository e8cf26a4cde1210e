/**
 * The slice of Adaptive Card 1.4 the Teams channel uses, and the Workflows message envelope.
 * Required fields follow microsoft/AdaptiveCards `schemas/1.4.0/adaptive-card.json` (a copy is the
 * test fixture every card is validated against: test/fixtures/adaptivecards/): TextBlock `text`,
 * RichTextBlock `inlines`, TextRun `text`, FactSet `facts`, Container `items`, Action.OpenUrl `url`.
 */
import type { Severity } from '../../events.js';

export type TextColor = 'default' | 'dark' | 'light' | 'accent' | 'good' | 'warning' | 'attention';
export type ContainerStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';

export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap?: boolean;
  weight?: 'default' | 'lighter' | 'bolder';
  size?: 'default' | 'small' | 'medium' | 'large' | 'extraLarge';
  color?: TextColor;
  isSubtle?: boolean;
  spacing?: 'none' | 'small' | 'default' | 'medium' | 'large';
  separator?: boolean;
}

export interface Fact {
  title: string;
  value: string;
}

export interface FactSet {
  type: 'FactSet';
  facts: Fact[];
}

export interface Container {
  type: 'Container';
  items: CardElement[];
  style?: ContainerStyle;
  bleed?: boolean;
  separator?: boolean;
  spacing?: TextBlock['spacing'];
}

/**
 * Text a renderer shows as is: a TextRun is never Markdown-processed
 * (https://adaptivecards.io/explorer/TextRun.html), so values from tenants and attackers go into
 * runs and need no escaping; TextBlocks carry only credwatch's fixed labels.
 */
export interface TextRun {
  type: 'TextRun';
  text: string;
  weight?: TextBlock['weight'];
  size?: TextBlock['size'];
  color?: TextColor;
  isSubtle?: boolean;
}

export interface RichTextBlock {
  type: 'RichTextBlock';
  inlines: TextRun[];
  spacing?: TextBlock['spacing'];
  separator?: boolean;
}

export type CardElement = TextBlock | RichTextBlock | FactSet | Container;

export interface OpenUrlAction {
  type: 'Action.OpenUrl';
  title: string;
  url: string;
}

export interface AdaptiveCard {
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json';
  type: 'AdaptiveCard';
  version: '1.4';
  /** Shown by clients that cannot render 1.4 (may contain Markdown, so it is escaped too). */
  fallbackText: string;
  body: CardElement[];
  actions: OpenUrlAction[];
  /** A Teams host extension (not in the 1.4 schema): use the channel's full width. */
  msteams: { width: 'Full' };
}

/** What a Workflows "When a Teams webhook request is received" trigger takes. */
export interface TeamsMessage {
  type: 'message';
  attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive'; contentUrl: null; content: AdaptiveCard }];
}

/** Teams rejects messages over 28 KB (Microsoft Learn, "Create Incoming Webhooks"). */
export const TEAMS_MAX_MESSAGE_BYTES = 28 * 1024;

/**
 * What the renderers aim for: 1 KB under the limit, because Microsoft does not document whether
 * the 28 KB is counted on our envelope or on the activity the workflow builds from it.
 */
export const TEAMS_MESSAGE_BUDGET_BYTES = TEAMS_MAX_MESSAGE_BYTES - 1024;

/**
 * Header colours. The severity is the container's background; its text keeps the style's
 * `default` colour, which Teams' light and dark host configs both set dark on these pale
 * backgrounds (≥ 4.5:1, computed from the host configs in test/alerts/cards-contrast.test.ts).
 * Coloured text would not pass: `warning` text on the `warning` container is yellow on beige
 * (1.18:1). The two severities that need action now share the red `attention` style.
 */
export const SEVERITY_STYLE: Readonly<Record<Severity, ContainerStyle>> = Object.freeze({
  critical: 'attention',
  high: 'attention',
  medium: 'warning',
  low: 'accent',
  informational: 'emphasis',
});

export function adaptiveCard(fallbackText: string, body: CardElement[], actions: OpenUrlAction[]): AdaptiveCard {
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    fallbackText,
    body,
    actions,
    msteams: { width: 'Full' },
  };
}

export function teamsMessage(card: AdaptiveCard): TeamsMessage {
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }] };
}

/** The size Teams sees: UTF-8 bytes of the serialized message. */
export function messageBytes(message: TeamsMessage): number {
  return Buffer.byteLength(JSON.stringify(message), 'utf8');
}

/** An OpenUrl button, or nothing when the link is not https (a payload read back from storage is not trusted blindly). */
export function openUrl(title: string, url: string): OpenUrlAction[] {
  return /^https:\/\/[^\s]+$/.test(url) ? [{ type: 'Action.OpenUrl', title, url }] : [];
}

/** Runs of text, shown as given (never Markdown): how every value on a card is written. */
export function richText(text: string, style: Omit<TextRun, 'type' | 'text'> = {}, block: Pick<RichTextBlock, 'spacing' | 'separator'> = {}): RichTextBlock {
  return { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text, ...style }], ...block };
}

/** A section heading: credwatch's own fixed words, so a TextBlock needs no escaping. */
export function heading(text: string): TextBlock {
  return { type: 'TextBlock', text, weight: 'bolder', size: 'medium', separator: true, wrap: true };
}

/**
 * Each fact as its label, then its value below: a FactSet's values are Markdown, and a value from
 * a log must not be; and side by side, a 39-character IPv6 address does not fit beside its label
 * on a 420 px phone, so the value gets the card's full width.
 */
export function factBlocks(facts: ReadonlyArray<{ label: string; value: string }>): Container[] {
  return facts.map((f) => ({
    type: 'Container',
    spacing: 'small',
    items: [{ type: 'TextBlock', text: f.label, size: 'small', weight: 'bolder', isSubtle: true, wrap: true }, richText(f.value, {}, { spacing: 'none' })],
  }));
}
