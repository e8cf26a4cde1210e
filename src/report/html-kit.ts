/**
 * Building blocks of the weekly report's HTML. The report is read in Outlook desktop (Word's
 * rendering engine) as well as in a browser, so everything here is a table with inline styles,
 * fixed pixel widths and `bgcolor` attributes next to `background-color`: no `<style>` block, no
 * classes, no script, no images. Every value taken from the model goes through {@link text},
 * which is the single place where attacker-controlled strings are cleaned and escaped.
 */
import { escapeHtml } from '../alerts/channels/email-html.js';
import { APP_NAME_MAX, untrusted } from '../alerts/channels/email-view.js';
import { entraAppUrl } from '../alerts/payload.js';

export { escapeHtml };

/** Width of the white content column: inside the 640–800 px that Outlook and phones handle well. */
export const CONTENT_WIDTH = 720;
/** Rows shown per list before "… and N more"; the CSV and JSON carry everything. */
export const LIST_MAX = 50;

export const FONT = "font-family:'Segoe UI',Arial,sans-serif;font-size:14px;line-height:20px;color:#201F1E;";
// Vertical alignment is the `valign` attribute on each cell: shorter than a style, and Outlook honours it.
const CELL = 'padding:6px 8px;border-bottom:1px solid #EDEBE9;';
const HEAD_CELL = `${CELL}font-weight:bold;background-color:#FAF9F8;`;
export const SMALL = 'font-size:12px;line-height:16px;color:#605E5C;';

/** Fluent palette colours that keep contrast on white. */
export const COLOR = Object.freeze({
  text: '#201F1E',
  subtle: '#605E5C',
  red: '#A4262C',
  orange: '#D83B01',
  amber: '#8A5A00',
  amberBg: '#FFF4CE',
  green: '#107C10',
  blue: '#0078D4',
  grey: '#A19F9D',
  lightGrey: '#EDEBE9',
});

/**
 * Untrusted text, ready for element content or a quoted attribute: controls and bidi overrides
 * made visible, capped at `max` code points, URLs defanged (Outlook auto-links bare URLs, and an
 * app's chosen name must never become a link), then HTML-escaped.
 */
export function text(value: string, max = APP_NAME_MAX): string {
  return escapeHtml(untrusted(value, max));
}

/** `1234` → `1,234`, fixed to en-US so the report reads the same on every host. */
export function num(value: number): string {
  return Number.isFinite(value) ? value.toLocaleString('en-US', { maximumFractionDigits: 1 }) : 'unknown';
}

/** `2026-11-26T10:42:07.000Z` → `2026-11-26 10:42 UTC`; anything else is shown as untrusted text. */
export function time(iso: string | null): string {
  if (iso === null) return unknown();
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?Z$/.exec(iso);
  return match ? `${match[1]} ${match[2]} UTC` : text(iso, 40);
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

/** A coloured label (severity, status, priority): a span, because Outlook keeps span backgrounds. */
export function badge(label: string, background: string, color = '#FFFFFF'): string {
  return `<span style="background-color:${background};color:${color};padding:1px 6px;font-size:12px;font-weight:bold;white-space:nowrap;">${label}</span>`;
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

/** A section heading with an optional one-line explanation of why the section matters. */
export function heading(title: string, why?: string): string[] {
  const rows = [
    row(title, `padding:24px 16px 4px 16px;font-size:18px;line-height:24px;font-weight:bold;color:${COLOR.text};border-top:2px solid ${COLOR.lightGrey};`),
  ];
  if (why) rows.push(row(small(why), 'padding:0 16px 8px 16px;'));
  return rows;
}

export function subheading(title: string): string {
  return row(title, 'padding:12px 16px 4px 16px;font-size:15px;font-weight:bold;');
}

/** A paragraph of our own wording (already HTML). */
export function paragraph(html: string): string {
  return row(html, 'padding:4px 16px;');
}

/** One column of a data table: its header and optional fixed width in pixels. */
export interface Column {
  title: string;
  width?: number;
  align?: 'left' | 'right';
}

/**
 * A data table of at most {@link LIST_MAX} rows with "… and N more (see …)" under it. Cells are
 * HTML already (built with {@link text}); `total` is the length of the full list.
 */
export function dataTable(columns: readonly Column[], cells: readonly (readonly string[])[], total: number, seeAlso = 'the CSV'): string {
  const head = columns
    .map(
      (c) =>
        `<th valign="bottom" align="${c.align ?? 'left'}"${c.width ? ` width="${c.width}"` : ''} style="${HEAD_CELL}${c.width ? `width:${c.width}px;` : ''}">${c.title}</th>`,
    )
    .join('');
  const body = cells.map(
    (r) => `<tr>${r.map((cell, i) => `<td valign="top"${columns[i]?.align === 'right' ? ' align="right"' : ''} style="${CELL}">${cell}</td>`).join('')}</tr>`,
  );
  const rest = total - cells.length;
  const more = rest > 0 ? `<tr><td colspan="${columns.length}" style="${CELL}${SMALL}">… and ${num(rest)} more (see ${seeAlso})</td></tr>` : '';
  return row(
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="${FONT}"><tr>${head}</tr>${body.join('')}${more}</table>`,
  );
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
