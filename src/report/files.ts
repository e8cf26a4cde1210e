/**
 * Writes a report's files: `<tenant>-<week>.json`, `-inventory.csv`, `-findings.csv` and, when a
 * renderer is given, `.html`. Each file is written to a temporary name and renamed, so a reader
 * polling the directory (a mail job, a blob sync) never picks up half a file. The files (and a
 * directory created for them) are readable by credwatch's account only: a report lists every
 * credential and what it can reach.
 */
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePrivateDir, writePrivateFile } from '../private-files.js';
import { csvFileText } from '../render/text.js';
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
  await writePrivateFile(temporary, text);
  await rename(temporary, path);
}

/** One rendered report file: its name (from {@link reportBaseName}) and text. */
export interface RenderedReportFile {
  kind: keyof ReportFiles;
  name: string;
  contentType: string;
  text: string;
}

/**
 * Renders the report's files in memory, machine files first and the HTML last (when a renderer is
 * given), for the directory writer below and for blob storage in the Function app.
 */
export function renderReportFiles(report: WeeklyReport, renderHtml?: (report: WeeklyReport) => string): RenderedReportFile[] {
  const base = reportBaseName(report);
  const files: RenderedReportFile[] = [{ kind: 'json', name: `${base}.json`, contentType: 'application/json; charset=utf-8', text: renderReportJson(report) }];
  const inventory = renderInventoryCsv(report);
  // Each CSV is a whole file here (on disk or as a blob), so this is where its byte order mark goes.
  if (inventory !== undefined)
    files.push({ kind: 'inventoryCsv', name: `${base}-inventory.csv`, contentType: 'text/csv; charset=utf-8', text: csvFileText(inventory) });
  files.push({ kind: 'findingsCsv', name: `${base}-findings.csv`, contentType: 'text/csv; charset=utf-8', text: csvFileText(renderFindingsCsv(report)) });
  if (renderHtml) files.push({ kind: 'html', name: `${base}.html`, contentType: 'text/html; charset=utf-8', text: renderHtml(report) });
  return files;
}

/**
 * Writes the files into `outDir` (created if missing). The HTML renderer is a parameter so callers
 * choose it (and tests can leave it out); its output is written last, after the machine files.
 */
export async function writeReportFiles(report: WeeklyReport, outDir: string, renderHtml?: (report: WeeklyReport) => string): Promise<ReportFiles> {
  await ensurePrivateDir(outDir);
  const written: Partial<ReportFiles> = {};
  for (const file of renderReportFiles(report, renderHtml)) {
    const path = join(outDir, file.name);
    await writeAtomically(path, file.text);
    written[file.kind] = path;
  }
  return written as ReportFiles;
}
