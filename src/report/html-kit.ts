/**
 * Building blocks of the weekly report's HTML. The report is read in Outlook desktop (Word's
 * rendering engine) as well as in a browser and on phones, so everything here is a table with
 * inline styles, percentage widths under a `max-width`, and `bgcolor` attributes next to
 * `background-color`: no `<style>` block, no classes, no flex or grid, no script, no images
 * (docs/report.md, "How the HTML is built"). Every value taken from the model goes through
 * {@link text}, the single place where attacker-controlled strings are cleaned and escaped.
 */
import { entraAppUrl } from '../alerts/payload.js';
import type { Severity } from '../events.js';
import { defang, displayTime } from '../present/format.js';
import { safeText } from '../render/text.js';

/** Longest app name shown; the Entra link and the app id under it carry the full identity. */
export const APP_NAME_MAX = 80;

/**
 * Widest the content column grows: inside the 640–800 px that Outlook and desktop mail handle
 * well. Narrower screens get the whole width (`max-width`); Outlook desktop, which ignores
 * `max-width`, gets a fixed table of this width in a conditional comment (html.ts).
 */
export const CONTENT_WIDTH = 720;
/** Rows shown per list before "… and N more"; the CSV and JSON carry everything. */
export const LIST_MAX = 50;

export const FONT = "font-family:'Segoe UI',Arial,sans-serif;font-size:14px;line-height:20px;color:#201F1E;";
// Vertical alignment is the `valign` attribute on each cell: shorter than a style, and Outlook honours it.
const CELL = 'padding:6px 8px;border-bottom:1px solid #EDEBE9;';
// Headers break between words only; numbers (right-aligned) never: on a phone a header cut as "Chan-ge" or a count as "unkn-own" reads worse than a narrower text column.
const HEAD_CELL = `${CELL}font-weight:bold;background-color:#FAF9F8;word-break:normal;overflow-wrap:normal;`;
const NUMBER_CELL = `${CELL}white-space:nowrap;`;
export const SMALL = 'font-size:12px;line-height:16px;color:#605E5C;';

/**
 * Fluent palette colours with at least 4.5:1 contrast on white, and white on them: a client's dark
 * mode inverts or darkens backgrounds and lightens text, which keeps such pairs apart. No colour
 * carries meaning alone: every one comes with a word, a sign or a number.
 */
export const COLOR = Object.freeze({
  text: '#201F1E',
  subtle: '#605E5C',
  red: '#A4262C',
  orange: '#A33A00',
  amber: '#8A5A00',
  amberBg: '#FFF4CE',
  green: '#107C10',
  blue: '#005A9E',
  grey: '#A19F9D',
  lightGrey: '#EDEBE9',
});

/** Severity labels: the word carries the meaning, the colour repeats it. */
export const SEVERITY_STYLE: Readonly<Record<Severity, { background: string; text: string }>> = Object.freeze({
  critical: { background: COLOR.red, text: '#FFFFFF' },
  high: { background: COLOR.orange, text: '#FFFFFF' },
  medium: { background: COLOR.amberBg, text: COLOR.amber },
  low: { background: '#005A9E', text: '#FFFFFF' },
  informational: { background: COLOR.subtle, text: '#FFFFFF' },
});

/** A severity as an upper-case label on its colour. */
export function severityBadge(severity: Severity): string {
  const style = SEVERITY_STYLE[severity] ?? SEVERITY_STYLE.informational;
  return badge(text(String(severity), 20).toUpperCase(), style.background, style.text);
}

/**
 * Untrusted text, ready for element content or a quoted attribute: controls and bidi overrides
 * made visible, capped at `max` code points, URLs defanged (Outlook auto-links bare URLs, and an
 * app's chosen name must never become a link), then HTML-escaped.
 */
export function text(value: string, max = APP_NAME_MAX): string {
  return escapeHtml(defang(safeText(value, max)));
}

/** Escapes the five characters that matter in element content and quoted attributes. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** `1234` → `1,234`, fixed to en-US so the report reads the same on every host. */
export function num(value: number): string {
  return Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: 1 }) : 'unknown';
}

/** `2026-11-26T10:42:07.000Z` → `2026-11-26 10:42 UTC`; anything else is shown as untrusted text. */
export function time(iso: string | null): string {
  if (iso === null) return unknown();
  return displayTime(iso) ?? text(iso, 40);
}

/** `2026-11-26T…` → `2026-11-26`; anything else is shown as untrusted text. */
export function date(iso: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})(?:T[\d:.]+Z)?$/.exec(iso);
  return match ? (match[1] ?? '') : text(iso, 40);
}

/** The marker for a value that was not collected. The footnote under the summary explains `*`. */
export function unknown(label = 'unknown'): string {
  return `<span style="color:${COLOR.subtle};font-style:italic;">${label}*</span>`;
}

/**
 * A coloured label (severity, status, priority): a span, because Outlook keeps span backgrounds.
 * A one-word label never breaks; a longer one (`wrap`) may, or it would widen its table on a phone.
 */
export function badge(label: string, background: string, color = '#FFFFFF', wrap = false): string {
  return `<span style="background-color:${background};color:${color};padding:1px 6px;font-size:12px;font-weight:bold;${wrap ? '' : 'white-space:nowrap;'}">${label}</span>`;
}

export function small(html: string): string {
  return `<span style="${SMALL}">${html}</span>`;
}

/** True for a GUID, the only shape an Entra app id has; nothing else may shape a link. */
export function isAppId(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

/**
 * An app as a link to its enterprise application in the Entra admin center, with the app id under
 * the name: names are chosen by whoever registered the app and can imitate a trusted vendor. Only
 * a GUID app id is linked; anything else is not an Entra app id and must not shape a URL.
 */
export function appCell(appId: string, displayName: string): string {
  const name = isAppId(appId) ? `<a href="${escapeHtml(entraAppUrl(appId))}" style="color:${COLOR.blue};">${text(displayName)}</a>` : text(displayName);
  return `${name}<br>${small(text(appId, 40))}`;
}

/** A full-width row of the content column: the unit every section is made of. */
export function row(html: string, style = 'padding:0 16px;'): string {
  return `<tr><td style="${style}">${html}</td></tr>`;
}

const H2 = `margin:0;font-size:18px;line-height:24px;font-weight:bold;color:${COLOR.text};`;
const H3 = `margin:0;font-size:15px;line-height:20px;font-weight:bold;color:${COLOR.text};`;

/** A section heading (`<h2>`) with an optional one-line explanation of why the section matters. */
export function heading(title: string, why?: string): string[] {
  const rows = [row(`<h2 style="${H2}">${title}</h2>`, `padding:24px 16px 4px 16px;border-top:2px solid ${COLOR.lightGrey};`)];
  if (why) rows.push(row(small(why), 'padding:0 16px 8px 16px;'));
  return rows;
}

/** A heading inside a section (`<h3>`). */
export function subheading(title: string): string {
  return row(`<h3 style="${H3}">${title}</h3>`, 'padding:12px 16px 4px 16px;');
}

/** A layout table: `role="presentation"`, so a screen reader reads its content, not a grid. */
export function layoutTable(inner: string, attributes = '', style = ''): string {
  return `<table role="presentation"${attributes} cellpadding="0" cellspacing="0" border="0" style="${FONT}${style}">${inner}</table>`;
}

/** A paragraph of our own wording (already HTML). */
export function paragraph(html: string): string {
  return row(html, 'padding:4px 16px;');
}

/** One column of a data table: its header, and its share of the table's width at full width. */
export interface Column {
  title: string;
  /** Pixels of the {@link CONTENT_WIDTH} column; written as a percentage, so the table reflows on a phone. */
  width?: number;
  align?: 'left' | 'right';
}

/** `width` in pixels of the full column, as a percentage of it. */
function share(width: number): string {
  return `${Math.max(1, Math.round((width / (CONTENT_WIDTH - 32)) * 100))}%`;
}

/**
 * A data table of at most {@link LIST_MAX} rows with "… and N more (see …)" under it: header cells
 * are `<th scope="col">`, so a screen reader names each cell's column. Cells are HTML already
 * (built with {@link text}); `total` is the length of the full list.
 */
export function dataTable(columns: readonly Column[], cells: readonly (readonly string[])[], total: number, seeAlso = 'the CSV'): string {
  const head = columns
    .map(
      (c) => `<th scope="col" valign="bottom" align="${c.align ?? 'left'}"${c.width ? ` width="${share(c.width)}"` : ''} style="${HEAD_CELL}">${c.title}</th>`,
    )
    .join('');
  const body = cells.map(
    (r) =>
      `<tr>${r.map((cell, i) => (columns[i]?.align === 'right' ? `<td valign="top" align="right" style="${NUMBER_CELL}">${cell}</td>` : `<td valign="top" style="${CELL}">${cell}</td>`)).join('')}</tr>`,
  );
  const rest = total - cells.length;
  const more = rest > 0 ? `<tr><td colspan="${columns.length}" style="${CELL}${SMALL}">… and ${num(rest)} more (see ${seeAlso})</td></tr>` : '';
  return row(`<table width="100%" cellpadding="0" cellspacing="0" border="0" style="${FONT}"><tr>${head}</tr>${body.join('')}${more}</table>`);
}

/** The first {@link LIST_MAX} items (or `max`), for {@link dataTable}. */
export function capped<T>(items: readonly T[], max = LIST_MAX): readonly T[] {
  return items.slice(0, max);
}

/** "a, b, c and 4 more", each item cleaned and escaped. */
export function inlineList(values: readonly string[], limit: number, itemMax = 60): string {
  const shown = values.slice(0, limit).map((v) => text(v, itemMax));
  const rest = values.length - shown.length;
  return `${shown.join(', ')}${rest > 0 ? ` and ${num(rest)} more` : ''}`;
}

/** A `url:` allowlist source shows its host only: a feed URL may carry a token in its query. */
export function sourceLabel(source: string): string {
  if (!source.startsWith('url:')) return source;
  try {
    return `url:${new URL(source.slice(4)).host}`;
  } catch {
    return 'url';
  }
}

/**
 * A health or allowlist source name (`allowlist:Mimecast:url:https://host/path?…`) with any feed
 * URL cut to its host, for the same reason as {@link sourceLabel}, and because it reads better.
 */
export function sourceName(source: string): string {
  return source.replace(/url:\S+$/, (url) => sourceLabel(url));
}

/**
 * What an empty list says. When any source was not read completely, an empty list may only mean
 * "nothing in what we saw", and saying "none" would present missing data as a clean result.
 */
export function none(collectionComplete: boolean, clean = 'None this week.'): string {
  return collectionComplete
    ? paragraph(small(clean))
    : paragraph(
        `<span style="color:${COLOR.amber};">None found in the data that was collected, but collection was incomplete this week (see Data collection health): this is not a clean result.</span>`,
      );
}
