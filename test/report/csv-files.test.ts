import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { FINDINGS_CSV_COLUMNS, INVENTORY_CSV_COLUMNS } from '../../src/report/csv.js';
import { renderReportFiles, writeReportFiles } from '../../src/report/files.js';
import { buildWeeklyReport } from '../../src/report/model.js';
import { app, CREDENTIALS, finding, inventory, MAIL_READ_APP, reportInput } from './model-fixtures.js';

const NAME = 'Ünïcödé 邮件 📧';
const BOM = [0xef, 0xbb, 0xbf];

/** A strict RFC 4180 reader: every record as wide as the header, quotes only where the RFC allows them. */
const readCsv = (bytes: Buffer): string[][] =>
  parse(bytes, { bom: true, encoding: 'utf8', relax_quotes: false, relax_column_count: false, skip_empty_lines: false }) as string[][];

describe('the report CSV files as bytes', () => {
  const apps = [
    app('bbbbbbbb-0000-4000-8000-000000000001', NAME, { mailboxPermissions: [MAIL_READ_APP], credentials: [CREDENTIALS.secret] }),
    app('bbbbbbbb-0000-4000-8000-000000000002', 'Plain, "quoted" name', { mailboxPermissions: [MAIL_READ_APP] }),
  ];
  const report = buildWeeklyReport(reportInput({ inventory: inventory(apps), findings: [finding('u1', 'A1', { appDisplayName: NAME })] }));

  it('start with one UTF-8 byte order mark, so Excel reads non-Latin app names, and still parse as RFC 4180', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'credwatch-csv-'));
    const written = await writeReportFiles(report, dir);
    const inventoryBytes = await readFile(written.inventoryCsv!);
    const findingsBytes = await readFile(written.findingsCsv);
    for (const bytes of [inventoryBytes, findingsBytes]) {
      expect([...bytes.subarray(0, 3)]).toEqual(BOM);
      // Once per file: the next bytes are the header's, not a second mark.
      expect([...bytes.subarray(3, 6)]).not.toEqual(BOM);
    }
    const inventoryRows = readCsv(inventoryBytes);
    expect(inventoryRows[0]).toEqual(INVENTORY_CSV_COLUMNS);
    expect(inventoryRows.slice(1).map((r) => r[INVENTORY_CSV_COLUMNS.indexOf('displayName')])).toEqual(expect.arrayContaining([NAME, 'Plain, "quoted" name']));
    const findingsRows = readCsv(findingsBytes);
    expect(findingsRows[0]).toEqual(FINDINGS_CSV_COLUMNS);
    expect(findingsRows[1]![FINDINGS_CSV_COLUMNS.indexOf('appDisplayName')]).toBe(NAME);
  });

  it('are stored with the mark as blobs too (the Function app uploads renderReportFiles as it is), and the JSON is not', () => {
    const files = renderReportFiles(report);
    const bytesOf = (kind: string) => Buffer.from(files.find((f) => f.kind === kind)!.text, 'utf8');
    expect([...bytesOf('inventoryCsv').subarray(0, 3)]).toEqual(BOM);
    expect([...bytesOf('findingsCsv').subarray(0, 3)]).toEqual(BOM);
    expect(bytesOf('json')[0]).toBe('{'.charCodeAt(0));
  });
});
