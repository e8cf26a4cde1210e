/**
 * Rows of the Azure Monitor / Log Analytics `AuditLogs` table (as Sentinel exports them) turned into
 * the Graph `directoryAudit` objects credwatch reads. Log Analytics keeps the same values in
 * PascalCase columns and stores the nested parts as JSON strings; see
 * https://learn.microsoft.com/azure/azure-monitor/reference/tables/auditlogs and
 * https://learn.microsoft.com/graph/api/resources/directoryaudit. Only columns with a Graph
 * counterpart are mapped; nothing is invented.
 */
import type { Json } from '../../src/collect/values.js';

/** One line of an NDJSON export (CRLF or LF). */
export function ndjsonRows(bytes: Buffer): Json[] {
  return bytes
    .toString('utf8')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Json);
}

function column(row: Json, name: string): unknown {
  return row[name];
}

function parsedColumn(row: Json, name: string): unknown {
  const value = row[name];
  return typeof value === 'string' && value !== '' ? (JSON.parse(value) as unknown) : value;
}

/** An `AuditLogs` row as the Graph directoryAudit with the same values. */
export function directoryAuditFromLogAnalytics(row: Json): Json {
  return {
    id: column(row, 'Id'),
    category: column(row, 'Category'),
    correlationId: column(row, 'CorrelationId'),
    result: column(row, 'Result'),
    activityDisplayName: column(row, 'ActivityDisplayName'),
    activityDateTime: column(row, 'ActivityDateTime'),
    loggedByService: column(row, 'LoggedByService'),
    operationType: column(row, 'AADOperationType'),
    initiatedBy: parsedColumn(row, 'InitiatedBy'),
    targetResources: parsedColumn(row, 'TargetResources'),
    additionalDetails: parsedColumn(row, 'AdditionalDetails'),
  };
}
