/**
 * Text for Adaptive Card TextBlocks and Facts, which Teams renders as a Markdown subset (bold,
 * italic, lists, links), for the weekly summary card (src/report/teams-summary.ts). Alert and
 * digest cards do not need it: they put values in TextRuns, which are not Markdown.
 */
import { defang } from '../../present/format.js';
import { safeText } from '../../render/text.js';

// Characters that open a Markdown construct anywhere in a line: emphasis, links and images, code
// spans, raw HTML and autolinks, headings, tables, strikethrough, entities. `{`/`}` are here because
// `{{DATE(…)}}` and `{{TIME(…)}}` are evaluated by Adaptive Card renderers before Markdown.
const ANYWHERE = /[\\`*_{}[\]()<>#!|~&]/g;

/**
 * Backslash-escapes Markdown-significant characters (CommonMark allows a backslash before any ASCII
 * punctuation). `-`, `+` and `1.` only start a list at the beginning of a line, and values are one
 * line, so those are escaped only there: escaping every `.` and `-` would litter IPs, GUIDs and dates
 * with backslashes on Teams clients that show escapes literally (AdaptiveCards issue #5590).
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(ANYWHERE, (c) => `\\${c}`)
    .replace(/^[-+]/, (c) => `\\${c}`)
    .replace(/^(\d{1,9})\.(?=\s|$)/, '$1\\.');
}

/**
 * One line of untrusted text, safe for a TextBlock or Fact: controls and bidi overrides replaced
 * and length capped (by `safeText`), URLs defanged, then Markdown-escaped. Truncation comes first
 * so an escape sequence is never cut in half.
 */
export function cardText(value: string, maxLength: number): string {
  return escapeMarkdown(defang(safeText(value, maxLength).trim()));
}

/** "a, b, c … and 4 more": at most `limit` items, each through {@link cardText}, with a count of the rest. */
export function cardList(values: readonly string[], limit: number, itemLength: number): string {
  const shown = values.slice(0, Math.max(0, limit)).map((v) => cardText(v, itemLength));
  const rest = values.length - shown.length;
  return rest > 0 ? `${shown.join(', ')}${shown.length > 0 ? ' ' : ''}… and ${rest} more` : shown.join(', ');
}
