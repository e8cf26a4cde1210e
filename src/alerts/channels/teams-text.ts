/**
 * Text for Adaptive Card TextBlocks and Facts, which Teams renders as a Markdown subset (bold,
 * italic, lists, links). App names, summaries and IPs are attacker-controlled — a malicious
 * multi-tenant app picks its own display name — so every value goes through {@link cardText}.
 */
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
 * Makes URLs in untrusted text unclickable the way incident responders write them
 * (`hxxps://`, `www[.]`): a Markdown escape does not stop a client from auto-linking a bare URL.
 */
export function defangUrls(text: string): string {
  return text
    .replace(/\b(h)tt(ps?):\/\//gi, '$1xx$2://')
    .replace(/\b(f)tp:\/\//gi, '$1xp://')
    .replace(/\b(www)\./gi, '$1[.]');
}

/**
 * One line of untrusted text, safe for a TextBlock or Fact: controls and bidi overrides replaced
 * and length capped (by `safeText`), URLs defanged, then Markdown-escaped. Truncation comes first
 * so an escape sequence is never cut in half.
 */
export function cardText(value: string, maxLength: number): string {
  return escapeMarkdown(defangUrls(safeText(value, maxLength).trim()));
}

/** "a, b, c … and 4 more": at most `limit` items, each through {@link cardText}, with a count of the rest. */
export function cardList(values: readonly string[], limit: number, itemLength: number): string {
  const shown = values.slice(0, Math.max(0, limit)).map((v) => cardText(v, itemLength));
  const rest = values.length - shown.length;
  return rest > 0 ? `${shown.join(', ')}${shown.length > 0 ? ' ' : ''}… and ${rest} more` : shown.join(', ');
}

/** `2026-11-26T10:00:00.000Z` → `2026-11-26 10:00:00 UTC`; anything else is treated as untrusted text. */
export function cardTime(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : cardText(iso, 40);
}
