/** Helpers for putting attacker-controlled text (app names choose themselves) on a terminal or in CSV. */
import stringWidth from 'string-width';

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

/** U+FEFF encoded as UTF-8 is the bytes EF BB BF. */
export const UTF8_BOM = '\ufeff';

/**
 * The text of a whole CSV file: the UTF-8 byte order mark once, then the rows. Excel opens a CSV
 * without one in the ANSI code page, so `Ünïcödé 邮件 📧` shows as mojibake; with it, Excel reads
 * UTF-8 (https://learn.microsoft.com/en-us/globalization/encoding/byte-order-mark). RFC 4180
 * parsers that know UTF-8 skip it. Added where a file is assembled, never per row or per tenant,
 * and never twice: `csvCell` already turns a U+FEFF inside a cell into U+FFFD.
 */
export function csvFileText(csv: string): string {
  return csv.startsWith(UTF8_BOM) ? csv : `${UTF8_BOM}${csv}`;
}

/**
 * Pads columns to their widest cell for a plain-text table, measured in terminal columns
 * (string-width: East Asian wide characters and emoji take two, combining marks none), so a
 * column starts at the same place on every row whatever script the names are in.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(stringWidth(h), ...rows.map((r) => stringWidth(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => c + ' '.repeat(Math.max(0, (widths[i] ?? 0) - stringWidth(c))))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
