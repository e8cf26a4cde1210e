/**
 * The report's CSV files, for spreadsheets and SIEM lookups. Every cell goes through `csvRow`,
 * which quotes per RFC 4180 and defuses formula injection: an app names itself, so a vendor app
 * called `=HYPERLINK(...)` must show as text, never run, when the file is opened in Excel.
 */
import { csvRow } from '../render/text.js';
import type { WeeklyReport } from './types.js';
import { grantLabel } from './inventory-rows.js';

export const INVENTORY_CSV_COLUMNS: readonly string[] = [
  'appId',
  'displayName',
  'ownership',
  'appOwnerOrganizationId',
  'mailboxCapable',
  'mailboxPermissions',
  'exposureScore',
  'credentialKind',
  'holder',
  'keyId',
  'endDateTime',
  'daysToExpiry',
  'flags',
];

export const FINDINGS_CSV_COLUMNS: readonly string[] = [
  'occurredAt',
  'severity',
  'ruleId',
  'title',
  'appId',
  'appDisplayName',
  'credentialKeyId',
  'network',
  'ip',
  'country',
  'asn',
  'resource',
  'success',
  'suppressed',
  'alertId',
  'findingId',
  'summary',
];

const lines = (rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null | undefined>>) => `${rows.map(csvRow).join('\n')}\n`;

/**
 * One row per credential of every listed app (one row with empty credential columns for an app
 * without any — a vendor app's credentials live in the vendor's tenant). Undefined when no
 * inventory was collected: a header-only file would read as "no apps".
 */
export function renderInventoryCsv(report: WeeklyReport): string | undefined {
  if (!report.inventory) return undefined;
  const scores = new Map(report.exposure.map((e) => [e.appId, e.score]));
  const rows: Array<Array<string | number | boolean | null | undefined>> = [[...INVENTORY_CSV_COLUMNS]];
  for (const app of report.inventory.apps) {
    const base = [
      app.appId,
      app.displayName,
      app.ownership,
      app.appOwnerOrganizationId,
      app.mailboxCapable,
      app.mailboxPermissions.map(grantLabel).join('; '),
      scores.get(app.appId),
    ];
    if (app.credentials.length === 0) rows.push([...base, '', '', '', '', '', '']);
    for (const c of app.credentials) rows.push([...base, c.kind, c.holder, c.keyId, c.endDateTime, c.daysToExpiry, c.flags.join(' ')]);
  }
  return lines(rows);
}

/** The week's findings, oldest first, suppressed ones included and marked. */
export function renderFindingsCsv(report: WeeklyReport): string {
  return lines([
    [...FINDINGS_CSV_COLUMNS],
    ...report.findings.map((f) => [
      f.occurredAt,
      f.severity,
      f.ruleId,
      f.title,
      f.appId,
      f.appDisplayName,
      f.credentialKeyId,
      f.network,
      f.ip,
      f.country,
      f.asn,
      f.resource,
      f.success,
      f.suppressed,
      f.alertId,
      f.findingId,
      f.summary,
    ]),
  ]);
}
