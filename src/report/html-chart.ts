/**
 * Bar charts made of table cells. Outlook desktop shows neither SVG nor CSS-drawn shapes, and remote
 * images are blocked by default; a `<td>` with a pixel width and a background colour is the one
 * drawing primitive every mail client renders. Colours are paired with numbers on every bar, so the
 * chart does not depend on telling red from green. Widths are percentages, so a chart reflows on a
 * phone; bars are drawn to a scale the caller chooses, so charts that share one can be compared.
 */
import { COLOR, FONT, layoutTable, num, small, text } from './html-kit.js';
import type { ConformityDay } from './types.js';

/** Segment colours, in the order they are drawn. */
export const SEGMENTS = [
  { key: 'allowed', label: 'allowed network', color: COLOR.green },
  { key: 'unexpected', label: 'unexpected network', color: COLOR.red },
  { key: 'unchecked', label: 'unchecked (no allowlist)', color: COLOR.grey },
] as const satisfies ReadonlyArray<{ key: keyof Omit<ConformityDay, 'day'>; label: string; color: string }>;

// A non-zero count always gets a visible sliver (percent of the bar column), or one unexpected
// sign-in among thousands would vanish.
const MIN_PERCENT = 2;

function cell(width: string, color: string): string {
  // `bgcolor` for Outlook, `background-color` for everything else; the nbsp keeps the cell from collapsing.
  return `<td width="${width}" bgcolor="${color}" style="width:${width};height:14px;background-color:${color};font-size:1px;line-height:1px;">&nbsp;</td>`;
}

/** The busiest day's total over the given days: the scale of charts drawn with {@link dayChart}. */
export function busiestDay(days: readonly ConformityDay[]): number {
  return Math.max(0, ...days.map((d) => d.allowed + d.unexpected + d.unchecked));
}

/** One stacked bar, `total / max` of the bar column long; each segment its share of the bar. */
export function bar(day: Omit<ConformityDay, 'day'>, max: number): string {
  const total = day.allowed + day.unexpected + day.unchecked;
  if (total <= 0 || max <= 0) return small('no sign-ins');
  const length = Math.max(MIN_PERCENT, Math.round((total / max) * 100));
  const cells = SEGMENTS.filter((s) => day[s.key] > 0).map((s) => cell(`${Math.max(1, Math.round((day[s.key] / total) * 100))}%`, s.color));
  return layoutTable(`<tr>${cells.join('')}</tr>`, ` width="${length}%"`);
}

/** "120 · 3 · 0" (allowed · unexpected · unchecked, as the header says); an unexpected count in bold. */
function counts(day: Omit<ConformityDay, 'day'>): string {
  const unexpected = day.unexpected > 0 ? `<b style="color:${COLOR.red};">${num(day.unexpected)}</b>` : `<span style="color:${COLOR.subtle};">0</span>`;
  return `<span style="color:${COLOR.green};">${num(day.allowed)}</span> · ${unexpected} · <span style="color:${COLOR.subtle};">${num(day.unchecked)}</span>`;
}

const WEEKDAY = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;

/** `2026-11-23` → `Mon 11-23`; anything else is shown as untrusted text. */
function dayLabel(day: string): string {
  const match = /^\d{4}-(\d{2}-\d{2})$/.exec(day);
  const weekday = match ? WEEKDAY[new Date(`${day}T00:00:00Z`).getUTCDay()] : undefined;
  return match && weekday ? `${weekday} ${match[1]}` : text(day, 20);
}

const SMALL_CELL = 'font-size:12px;line-height:16px;';
const HEAD = `${SMALL_CELL}font-weight:bold;color:${COLOR.subtle};padding:0 0 2px 0;`;

/**
 * One chart, a data table: a row per day with its label, stacked bar and the three counts. Bars
 * are `total / max` long, so charts drawn with the same `max` share a scale.
 */
export function dayChart(days: readonly ConformityDay[], max: number): string {
  const rows = days.map(
    (d) =>
      `<tr><td width="18%" style="padding:2px 8px 2px 0;white-space:nowrap;${SMALL_CELL}">${dayLabel(d.day)}</td>` +
      `<td width="52%" style="padding:2px 0;">${bar(d, max)}</td>` +
      `<td style="padding:2px 0 2px 8px;white-space:nowrap;${SMALL_CELL}">${counts(d)}</td></tr>`,
  );
  const head =
    `<tr><th scope="col" align="left" style="${HEAD}">Day</th><th scope="col" align="left" style="${HEAD}">Sign-ins</th>` +
    `<th scope="col" align="left" style="${HEAD}padding-left:8px;">Allowed · unexpected · unchecked</th></tr>`;
  return `<table width="100%" cellpadding="0" cellspacing="0" border="0" style="${FONT}">${head}${rows.join('')}</table>`;
}

/** The colour key, drawn with the same cells as the bars. */
export function legend(): string {
  const items = SEGMENTS.map(
    (s) =>
      `<td width="12" style="padding:0 4px 0 0;">${layoutTable(`<tr>${cell('12px', s.color)}</tr>`, ' width="12"')}</td><td style="padding:0 12px 0 0;font-size:12px;line-height:16px;color:${COLOR.subtle};">${s.label}</td>`,
  );
  return layoutTable(`<tr>${items.join('')}</tr>`);
}
