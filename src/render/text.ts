/** Helpers for putting attacker-controlled text (app names choose themselves) on a terminal or in CSV. */

// C0/C1 controls, DEL, bidi overrides and zero-width characters that can forge or hide output.
// eslint-disable-next-line no-control-regex -- matching control characters is the point.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** One printable line: controls become U+FFFD, length capped by code point with an ellipsis. */
export function safeText(value: string, maxLength = 80): string {
  const clean = value.replace(UNSAFE, '\ufffd');
  const chars = Array.from(clean);
  return chars.length > maxLength ? `${chars.slice(0, maxLength - 1).join('')}…` : clean;
}

/**
 * A CSV cell per RFC 4180. A value a spreadsheet would run as a formula (=, +, -, @, tab, CR) is
 * prefixed with a quote so it is shown, not executed.
 */
export function csvCell(value: string | number | boolean | undefined | null): string {
  if (value === undefined || value === null) return '';
  let s = String(value).replace(UNSAFE, (c) => (c === '\n' || c === '\r' || c === '\t' ? ' ' : '\ufffd'));
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(values: ReadonlyArray<string | number | boolean | undefined | null>): string {
  return values.map(csvCell).join(',');
}

/** Pads columns to their widest cell (by code points) for a plain-text table. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(Array.from(h).length, ...rows.map((r) => Array.from(r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c + ' '.repeat(Math.max(0, (widths[i] ?? 0) - Array.from(c).length)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
