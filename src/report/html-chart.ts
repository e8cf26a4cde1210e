/**
 * Bar charts made of table cells. Outlook desktop shows neither SVG nor CSS-drawn shapes, and remote
 * images are blocked by default; a `<td>` with a pixel width and a background colour is the one
 * drawing primitive every mail client renders. Colours are paired with numbers on every bar, so the
 * chart does not depend on telling red from green.
 */
import { COLOR, FONT, num, small, text } from './html-kit.js';
import type { ConformityDay } from './types.js';

/** Width in pixels of a bar for the busiest day of the chart. */
export const BAR_WIDTH = 330;

/** Segment colours, in the order they are drawn. */
export const SEGMENTS = [
  { key: 'allowed', label: 'allowed network', color: COLOR.green },
  { key: 'unexpected', label: 'unexpected network', color: COLOR.red },
  { key: 'unchecked', label: 'unchecked (no allowlist)', color: COLOR.grey },
] as const satisfies ReadonlyArray<{ key: keyof Omit<ConformityDay, 'day'>; label: string; color: string }>;

// A non-zero count always gets a visible sliver, or one unexpected sign-in among thousands would vanish.
const MIN_SEGMENT = 3;

function cell(width: number, color: string): string {
  // `bgcolor` for Outlook, `background-color` for everything else; the nbsp keeps the cell from collapsing.
  return `<td width="${width}" bgcolor="${color}" style="width:${width}px;height:14px;background-color:${color};font-size:1px;line-height:1px;">&nbsp;</td>`;
}

/** One stacked bar, `total / max` of {@link BAR_WIDTH} long. */
export function bar(day: Omit<ConformityDay, 'day'>, max: number): string {
  const total = day.allowed + day.unexpected + day.unchecked;
  if (total <= 0 || max <= 0) return small('no sign-ins');
  const length = Math.max(MIN_SEGMENT, Math.round((total / max) * BAR_WIDTH));
  const cells = SEGMENTS.filter((s) => day[s.key] > 0).map((s) => cell(Math.max(MIN_SEGMENT, Math.round((day[s.key] / total) * length)), s.color));
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>${cells.join('')}</tr></table>`;
}

/** "120 · 3 · 0" (allowed · unexpected · unchecked), an unexpected count in bold red. */
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

/**
 * One chart: a row per day with its label, stacked bar and the three counts. Bars are scaled to the
 * chart's busiest day.
 */
export function dayChart(days: readonly ConformityDay[]): string {
  const max = Math.max(0, ...days.map((d) => d.allowed + d.unexpected + d.unchecked));
  const rows = days.map(
    (d) =>
      `<tr><td width="80" style="width:80px;padding:2px 8px 2px 0;white-space:nowrap;font-size:12px;line-height:16px;">${dayLabel(d.day)}</td>` +
      `<td width="${BAR_WIDTH + 10}" style="width:${BAR_WIDTH + 10}px;padding:2px 0;">${bar(d, max)}</td>` +
      `<td style="padding:2px 0 2px 8px;white-space:nowrap;font-size:12px;line-height:16px;">${counts(d)}</td></tr>`,
  );
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="${FONT}">${rows.join('')}</table>`;
}

/** The colour key, drawn with the same cells as the bars. */
export function legend(): string {
  const items = SEGMENTS.map(
    (s) =>
      `<td style="padding:0 4px 0 0;">${`<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>${cell(12, s.color)}</tr></table>`}</td><td style="padding:0 16px 0 0;font-size:12px;line-height:16px;color:${COLOR.subtle};">${s.label}</td>`,
  );
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="${FONT}"><tr>${items.join('')}</tr></table>`;
}
