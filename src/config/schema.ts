/**
 * The one schema of the configuration file. It describes the file as written (references to secrets,
 * relative paths, defaults); load.ts turns its output into the resolved, frozen {@link Config}.
 * Refinements run even when other parts are invalid ({@link ALWAYS}) so one pass reports every problem.
 */
import { z } from 'zod';
import { channelSchema } from './schema-channel.js';
import { detectionSchema, suppressionSchema } from './schema-detection.js';
import { ALWAYS, cronExpression, envName, filePath, guid, httpsUrl, nonNegativeInt, positiveInt, strictObject, timeZone } from './schema-parts.js';
import { tenantSchema } from './schema-tenant.js';
import { vendorSchema } from './schema-vendor.js';

import { LOG_LEVELS } from './log-levels.js';

export { LOG_LEVELS } from './log-levels.js';

/** Where credwatch keeps watermarks, seen ids, snapshots and the alert outbox. */
export const stateSchema = z
  .discriminatedUnion('type', [
    strictObject({
      type: z.literal('sqlite'),
      path: filePath().default('.credwatch/state.db').describe('Database file (created if missing).'),
    }),
    strictObject({ type: z.literal('memory') }),
    strictObject({
      type: z.literal('azureTable'),
      connectionEnv: envName()
        .optional()
        .describe(
          "Environment variable with a storage connection string. When neither this nor accountUrl is set, the Function app's AzureWebJobsStorage is used: its connection string, or its identity-based settings (AzureWebJobsStorage__accountName, __clientId).",
        ),
      accountUrl: httpsUrl().optional().describe('Table endpoint, e.g. https://account.table.core.windows.net, reached with the managed identity.'),
      clientId: guid().optional().describe('Client id of the user-assigned managed identity used with accountUrl; the system-assigned identity when omitted.'),
      tablePrefix: z
        .string()
        .regex(/^[A-Za-z][A-Za-z0-9]{0,39}$/, { message: 'expected a letter then up to 39 letters or digits (Azure table names are alphanumeric)' })
        .default('credwatch')
        .describe('Prefix of the tables credwatch creates.'),
    }).superRefine((value: unknown, ctx) => {
      const state = value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {};
      if (state['connectionEnv'] !== undefined && state['accountUrl'] !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['accountUrl'], message: 'set only one of connectionEnv and accountUrl, not both' });
      }
    }, ALWAYS),
  ])
  .prefault({ type: 'sqlite' })
  .describe('State store; sqlite by default.');

const schedulesSchema = strictObject({
  scan: cronExpression().default('*/15 * * * *').describe('When to scan every tenant.'),
  report: cronExpression().default('0 8 * * 1').describe('When to build and send the weekly report.'),
  refreshAllowlists: cronExpression().default('0 */6 * * *').describe('When to refetch url allowlist sources.'),
  timeZone: timeZone().default('UTC').describe('IANA time zone the cron expressions are read in.'),
})
  .prefault({})
  .describe('Cron expressions (5 fields, or 6 with seconds first) for `credwatch serve`.');

const collectionSchema = strictObject({
  overlapInMinutes: nonNegativeInt().default(120).describe('How far each scan re-reads before the last watermark, for late log records.'),
  settleInMinutes: nonNegativeInt().default(5).describe('Records newer than this are left for the next scan.'),
  backfillInDays: positiveInt().max(30).default(7).describe('How far back the first scan of a tenant reads.'),
  maxRunMinutes: positiveInt()
    .max(24 * 60)
    .default(20)
    .describe('How long one scan may read sign-ins before it stops and leaves the rest of a backlog to the next scans (the Function app stops a run at 30).'),
}).prefault({});

const postureSchema = strictObject({
  expiringWithinDays: positiveInt().default(30).describe('A credential expiring within this many days is reported.'),
  certificateMaxLifetimeInDays: positiveInt().default(365).describe('Certificates valid for longer are reported as long-lived.'),
  secretMaxLifetimeInDays: positiveInt().default(180).describe('Client secrets valid for longer are reported as long-lived.'),
  unusedAfterDays: positiveInt().default(30).describe('A privileged credential without sign-ins for this long is reported as unused.'),
}).prefault({});

const loggingSchema = strictObject({
  level: z.enum(LOG_LEVELS).default('info').describe('Lowest level written.'),
}).prefault({});

/** Names within a list must be unique; reports each repeat at its own path, naming the first use. */
function checkUnique(
  ctx: z.core.$RefinementCtx,
  list: unknown,
  listKey: string,
  nameOf: (item: Record<string, unknown>) => string | undefined,
  what: string,
): Set<string> {
  const seen = new Map<string, number>();
  (Array.isArray(list) ? list : []).forEach((item: unknown, i) => {
    if (item === null || typeof item !== 'object') return;
    const record = item as Record<string, unknown>;
    const name = nameOf(record);
    if (name === undefined) return;
    const first = seen.get(name.toLowerCase());
    if (first === undefined) seen.set(name.toLowerCase(), i);
    else {
      const path = typeof record['name'] === 'string' ? [listKey, i, 'name'] : [listKey, i];
      ctx.addIssue({ code: 'custom', path, message: `${what} "${name}" is already used by ${listKey}[${first}]; names must be unique` });
    }
  });
  return new Set(seen.keys());
}

/** Checks that span sections: unique names, and channels that refer to tenants by name. */
function checkCrossReferences(value: unknown, ctx: z.core.$RefinementCtx): void {
  if (value === null || typeof value !== 'object') return;
  const config = value as Record<string, unknown>;
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const tenants = checkUnique(ctx, config['tenants'], 'tenants', (t) => str(t['name']), 'tenant name');
  checkUnique(ctx, config['vendors'], 'vendors', (v) => str(v['name']), 'vendor name');
  // A channel without a name is named after its type, so two unnamed Teams channels collide.
  checkUnique(ctx, config['channels'], 'channels', (c) => str(c['name']) ?? str(c['type']), 'channel name');
  const channels: unknown[] = Array.isArray(config['channels']) ? config['channels'] : [];
  channels.forEach((channel: unknown, i) => {
    if (channel === null || typeof channel !== 'object') return;
    const record = channel as Record<string, unknown>;
    const known = [...tenants].join(', ') || 'none';
    const refs: unknown[] = Array.isArray(record['tenants']) ? record['tenants'] : [];
    refs.forEach((ref: unknown, j) => {
      if (typeof ref === 'string' && !tenants.has(ref.toLowerCase())) {
        ctx.addIssue({ code: 'custom', path: ['channels', i, 'tenants', j], message: `no tenant is named "${ref}" (tenants: ${known})` });
      }
    });
    const sender = record['senderTenant'];
    if (typeof sender === 'string' && !tenants.has(sender.toLowerCase())) {
      ctx.addIssue({ code: 'custom', path: ['channels', i, 'senderTenant'], message: `no tenant is named "${sender}" (tenants: ${known})` });
    }
  });
}

/** The zod schema of the configuration file. */
export const configSchema = strictObject({
  $schema: z.string().optional().describe('Path or URL of credwatch.schema.json, for editors.'),
  tenants: z.array(tenantSchema).min(1).describe('The Microsoft 365 tenants to monitor.'),
  vendors: z.array(vendorSchema).default([]).describe('Vendors whose apps sign in to the tenants, and their allowed networks.'),
  channels: z
    .array(channelSchema)
    .min(1)
    .prefault([{ type: 'stdout' }])
    .describe('Where alerts go; stdout when omitted.'),
  state: stateSchema,
  schedules: schedulesSchema,
  collection: collectionSchema.describe('How sign-in and audit logs are read.'),
  posture: postureSchema.describe('Thresholds of the credential hygiene findings.'),
  detection: detectionSchema.describe('Tuning of the detections.'),
  suppressions: z.array(suppressionSchema).default([]).describe('Accepted cases: findings are kept and reported, not alerted, until the expiry date.'),
  logging: loggingSchema.describe('Log output.'),
}).superRefine(checkCrossReferences, ALWAYS);

/** The configuration file as validated, with defaults applied and nothing resolved yet. */
export type ConfigFile = z.output<typeof configSchema>;
/** The configuration file as written (defaults optional). */
export type ConfigFileInput = z.input<typeof configSchema>;

/**
 * JSON Schema (draft 2020-12) of the file, for editors. It describes the input (defaults optional) and
 * cannot express the cross-field rules; credwatch itself always validates with {@link configSchema}.
 */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });
  return { ...schema, title: 'credwatch configuration' };
}
