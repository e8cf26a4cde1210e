/**
 * Writes a report's files: `<tenant>-<week>.json`, `-inventory.csv`, `-findings.csv` and, when a
 * renderer is given, `.html`. Each file is written to a temporary name and renamed, so a reader
 * polling the directory (a mail job, a blob sync) never picks up half a file.
 */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderFindingsCsv, renderInventoryCsv } from './csv.js';
import { renderReportJson } from './json.js';
import type { WeeklyReport } from './types.js';

/** Absolute or `outDir`-relative paths of what was written. */
export interface ReportFiles {
  json: string;
  /** Absent when no inventory was collected (see `renderInventoryCsv`). */
  inventoryCsv?: string;
  findingsCsv: string;
  html?: string;
}

/** Tenant names come from the configuration, but a `/` or `..` must still not leave `outDir`. */
export function reportBaseName(report: Pick<WeeklyReport, 'tenant' | 'week'>): string {
  const tenant = report.tenant.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || '_';
  return `${tenant}-${report.week}`;
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, text, 'utf8');
  await rename(temporary, path);
}

/**
 * Writes the files into `outDir` (created if missing). The HTML renderer is a parameter so callers
 * choose it (and tests can leave it out); its output is written last, after the machine files.
 */
export async function writeReportFiles(report: WeeklyReport, outDir: string, renderHtml?: (report: WeeklyReport) => string): Promise<ReportFiles> {
  await mkdir(outDir, { recursive: true });
  const base = join(outDir, reportBaseName(report));
  const files: ReportFiles = { json: `${base}.json`, findingsCsv: `${base}-findings.csv` };
  await writeAtomically(files.json, renderReportJson(report));
  const inventory = renderInventoryCsv(report);
  if (inventory !== undefined) {
    files.inventoryCsv = `${base}-inventory.csv`;
    await writeAtomically(files.inventoryCsv, inventory);
  }
  await writeAtomically(files.findingsCsv, renderFindingsCsv(report));
  if (renderHtml) {
    files.html = `${base}.html`;
    await writeAtomically(files.html, renderHtml(report));
  }
  return files;
}
