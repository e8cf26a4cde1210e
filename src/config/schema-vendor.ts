/**
 * The `vendors[]` part of the file: which apps belong to a vendor and the networks they may sign in
 * from. Range sources are only described here; fetching and matching them is the networks module's job.
 */
import { z } from 'zod';
import { cidrProblem } from './cidr.js';
import { ALWAYS, filePath, guid, httpsUrl, positiveInt, strictObject } from './schema-parts.js';

const urlSourceSchema = strictObject({
  type: z.literal('url'),
  url: httpsUrl().describe('https URL of a published range list.'),
  format: z.enum(['list', 'json']).default('list').describe('"list": one CIDR per line, # comments; "json": JSON read through jsonPath.'),
  jsonPath: z
    .string()
    .regex(/^[A-Za-z0-9_$@-]+(?:\[\])?(?:\.[A-Za-z0-9_$@-]+(?:\[\])?)*$/, {
      message: 'expected dotted property names with [] after arrays, such as "values[].properties.addressPrefixes"',
    })
    .optional()
    .describe('Where the CIDRs are in a JSON document; omit when the document is an array of CIDR strings.'),
  timeoutInMs: positiveInt().max(120_000).default(10_000).describe('How long one fetch may take.'),
  staleAfterInDays: positiveInt().default(7).describe('Age after which the last good copy is reported as stale.'),
}).superRefine((value: unknown, ctx) => {
  if (value === null || typeof value !== 'object') return;
  const source = value as Record<string, unknown>;
  if (source['jsonPath'] !== undefined && source['format'] !== 'json') {
    ctx.addIssue({ code: 'custom', path: ['jsonPath'], message: 'applies only with "format": "json"' });
  }
}, ALWAYS);

/** One source of allowed ranges for a vendor. */
export const rangeSourceSchema = z.discriminatedUnion('type', [
  strictObject({
    type: z.literal('cidrs'),
    cidrs: z.array(z.string()).min(1).describe('IPv4/IPv6 CIDRs written inline.'),
  }),
  strictObject({
    type: z.literal('file'),
    path: filePath().describe('Local file with one CIDR per line; # starts a comment.'),
  }),
  urlSourceSchema,
  strictObject({
    type: z.literal('namedLocation'),
    displayName: z.string().min(1).describe('Display name of an Entra named location (IP ranges) in the scanned tenant.'),
  }),
]);

/**
 * Cross-field checks of one vendor. CIDRs are checked here rather than on each string so the message
 * can name the vendor, which the entry's path alone does not.
 */
function checkVendor(value: unknown, ctx: z.core.$RefinementCtx): void {
  if (value === null || typeof value !== 'object') return;
  const vendor = value as Record<string, unknown>;
  const label = typeof vendor['name'] === 'string' ? `vendor "${vendor['name']}"` : 'this vendor';
  const listed = (key: string): boolean => Array.isArray(vendor[key]) && (vendor[key] as unknown[]).length > 0;
  if (!listed('appIds') && !listed('ownerTenantIds')) {
    ctx.addIssue({ code: 'custom', message: `${label} needs appIds or ownerTenantIds (or both) to know which sign-ins are its own` });
  }
  const ranges = Array.isArray(vendor['allowedRanges']) ? (vendor['allowedRanges'] as unknown[]) : [];
  ranges.forEach((range, r) => {
    const cidrs = range !== null && typeof range === 'object' ? (range as Record<string, unknown>)['cidrs'] : undefined;
    if (!Array.isArray(cidrs)) return;
    cidrs.forEach((cidr: unknown, c) => {
      if (typeof cidr !== 'string') return; // the element schema already reported the wrong type
      const problem = cidrProblem(cidr);
      if (problem !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['allowedRanges', r, 'cidrs', c],
          message: `${label}: ${JSON.stringify(cidr)} is not a valid CIDR: ${problem}`,
        });
      }
    });
  });
}

/** A vendor whose multi-tenant apps sign in to the monitored tenants. */
export const vendorSchema = strictObject({
  name: z.string().min(1).describe('Vendor name shown in alerts and the report; unique.'),
  appIds: z.array(guid()).default([]).describe('Application (client) ids of the vendor\'s apps.'),
  ownerTenantIds: z.array(guid()).default([]).describe('Tenant ids that own the vendor\'s apps (appOwnerOrganizationId).'),
  allowedRanges: z.array(rangeSourceSchema).default([]).describe('Where the vendor\'s apps may sign in from.'),
}).superRefine(checkVendor, ALWAYS);

/** The file's view of a vendor, after defaults. */
export type VendorFile = z.output<typeof vendorSchema>;
/** The file's view of a range source, after defaults. */
export type RangeSourceFile = z.output<typeof rangeSourceSchema>;
