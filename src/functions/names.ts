/**
 * The names the Function app, its Bicep template (config/azure/main.bicep) and the deployment guide
 * share. A test reads the template against these, so a rename in one place only fails CI.
 */

/** One message per tenant per scan tick; the queue trigger scans that tenant. */
export const SCAN_QUEUE = 'credwatch-scan';
/** One message per tenant per weekly report. */
export const REPORT_QUEUE = 'credwatch-report';
/** Where the Functions host moves a message after `maxDequeueCount` failed attempts. */
export const poisonQueueOf = (queue: string): string => `${queue}-poison`;
/** Weekly report files: `<tenant>/<week>/<file>`. */
export const REPORT_CONTAINER = 'credwatch-reports';
/** Prefix of credwatch's state tables (the `azureTable` state default). */
export const TABLE_PREFIX = 'credwatch';
/** The table holding per-tenant scan leases, so two workers never scan one tenant at once. */
export const LEASE_TABLE = 'credwatchLeases';

/** App settings credwatch reads in the Function app. */
export const SETTINGS = {
  /** Path of the config file inside the package (default `credwatch.json`). */
  config: 'CREDWATCH_CONFIG',
  /** 6-field NCRONTAB for the scan fan-out (default every 15 minutes). */
  scanSchedule: 'CREDWATCH_SCAN_SCHEDULE',
  /** 6-field NCRONTAB for the weekly report fan-out (default Monday 08:00 UTC). */
  reportSchedule: 'CREDWATCH_REPORT_SCHEDULE',
} as const;

export const DEFAULT_SCAN_SCHEDULE = '0 */15 * * * *';
export const DEFAULT_REPORT_SCHEDULE = '0 0 8 * * 1';
