/**
 * The report as JSON (`credwatch.report/v1`, documented in docs/report.md): the model itself, so
 * machines read exactly what the HTML shows. Also read back from the store as last week's report,
 * which is why parsing checks the shape instead of trusting the cache.
 */
import { REPORT_SCHEMA, type WeeklyReport } from './types.js';

/** Pretty-printed, ending in a newline: diffable week over week. */
export function renderReportJson(report: WeeklyReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A stored report, or undefined when the text is not a `credwatch.report/v1` report (another
 * schema version, or damaged). The caller then treats the week as having no previous report,
 * which the report says ("first report") rather than inventing deltas.
 */
export function parseReportJson(text: string): WeeklyReport | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(value) || value.schema !== REPORT_SCHEMA || typeof value.week !== 'string' || !Array.isArray(value.summary)) return undefined;
  const inventory = value.inventory;
  if (inventory !== null && !(isObject(inventory) && Array.isArray(inventory.apps) && Array.isArray(inventory.sources) && Array.isArray(inventory.otherAppIds)))
    return undefined;
  if (!value.summary.every((m) => isObject(m) && typeof m.key === 'string' && (m.value === null || typeof m.value === 'number'))) return undefined;
  return value as unknown as WeeklyReport;
}
