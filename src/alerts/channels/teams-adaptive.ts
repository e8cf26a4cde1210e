/**
 * The slice of Adaptive Card 1.4 the Teams channel uses, and the Workflows message envelope.
 * Required fields follow microsoft/AdaptiveCards `schemas/1.4.0/adaptive-card.json`: TextBlock
 * `text`, FactSet `facts`, Fact `title` + `value`, Container `items`, Action.OpenUrl `url`.
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

export type CardElement = TextBlock | FactSet | Container;

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

/** Where an analyst starts looking at service-principal sign-ins (URL shape as used widely; not documented by Microsoft). */
export const ENTRA_SIGN_IN_LOGS_URL = 'https://entra.microsoft.com/#view/Microsoft_AAD_IAM/SignInLogsList.ReactView';

/** Header colours: the two severities that need action now share the red "attention" style. */
export const SEVERITY_STYLE: Readonly<Record<Severity, { container: ContainerStyle; color: TextColor }>> = Object.freeze({
  critical: { container: 'attention', color: 'attention' },
  high: { container: 'attention', color: 'attention' },
  medium: { container: 'warning', color: 'warning' },
  low: { container: 'accent', color: 'accent' },
  informational: { container: 'default', color: 'default' },
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
