/**
 * The `vendors[]` part of the file: which apps belong to a vendor and the networks they may sign in
 * from. Range sources are only described here; fetching and matching them is the networks module's job.
 */
import { z } from 'zod';
import { BREADTH_LIMIT_KEYS, DEFAULT_BREADTH_LIMITS, looserThanDefault } from './breadth-limits.js';
import { cidrProblem } from './cidr.js';
import { DEFAULT_MAX_BODY_IN_BYTES, MAX_BODY_IN_BYTES_LIMIT } from './url-limits.js';
import { ALWAYS, filePath, guid, httpsUrl, positiveInt, strictObject } from './schema-parts.js';

/** A reason a person wrote: an empty or blank one would accept a broad source without saying why. */
const reason = (what: string) => z.string().regex(/\S/, { message: `say why ${what} (a non-empty reason; it is repeated in every warning)` });

/**
 * Accepting one source that allows more of the address space than the vendor's limits. Per source,
 * not per vendor, so accepting a cloud provider's feed cannot also wave through a typo in the
 * vendor's inline list.
 */
const acceptBroadRanges = strictObject({
  reason: reason('this source may allow so much of the internet').describe(
    'Why this vendor may sign in from networks this broad. Shown with the warning every resolution reports.',
  ),
})
  .optional()
  .describe(
    "Use this source even though it is broader than the vendor's broadRangeLimits (by default: a prefix shorter than /8 or /16, more than 1 % of the IPv4 space, or more IPv6 than one /32). It is then also left out of the vendor's total. Any host in those networks counts as the vendor's own; the source is reported as a warning.",
  );

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
  timeoutInMs: positiveInt()
    .max(120_000)
    .default(10_000)
    .describe('How long one fetch may take in all: resolving the host, redirects and reading the whole body.'),
  staleAfterInDays: positiveInt().default(7).describe('Age after which the last good copy is reported as stale.'),
  allowRedirects: z
    .boolean()
    .default(false)
    .describe(
      'Follow a redirect to another https host (its addresses are checked like the first). Redirects within the same origin are always followed; a redirect to plain http never is.',
    ),
  allowPrivateNetwork: z
    .boolean()
    .default(false)
    .describe(
      'Connect even when the host resolves to a loopback, private, link-local, CGNAT or cloud metadata address. Only for a feed served from your own network.',
    ),
  maxBodyInBytes: positiveInt()
    .max(MAX_BODY_IN_BYTES_LIMIT)
    .default(DEFAULT_MAX_BODY_IN_BYTES)
    .describe("Largest response read; a larger one fails the fetch (16 MiB by default, several times the size of Azure's ServiceTags file)."),
  acceptBroadRanges,
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
    acceptBroadRanges,
  }),
  strictObject({
    type: z.literal('file'),
    path: filePath().describe('Local file with one CIDR per line; # starts a comment.'),
    acceptBroadRanges,
  }),
  urlSourceSchema,
  strictObject({
    type: z.literal('namedLocation'),
    displayName: z.string().min(1).describe('Display name of an Entra named location (IP ranges) in the scanned tenant.'),
    acceptBroadRanges,
  }),
]);

const D = DEFAULT_BREADTH_LIMITS;

/**
 * How broad each of a vendor's sources, and all of them together, may be. Per vendor rather than global: an exception is
 * reviewed for the vendor it is about, and a global loosening would also cover vendors added
 * later. Stricter than the defaults needs nothing; looser needs a reason, and every source that
 * uses the extra room is reported as a warning.
 */
export const broadRangeLimitsSchema = strictObject({
  shortestIPv4Prefix: z
    .number()
    .int()
    .min(0)
    .max(32)
    .default(D.shortestIPv4Prefix)
    .describe('A source holding an IPv4 range with a shorter prefix than this is refused.'),
  shortestIPv6Prefix: z
    .number()
    .int()
    .min(0)
    .max(128)
    .default(D.shortestIPv6Prefix)
    .describe('A source holding an IPv6 range with a shorter prefix than this is refused.'),
  maxIPv4Percent: z
    .number()
    .positive()
    .max(100)
    .default(D.maxIPv4Percent)
    .describe(
      "A source, or the vendor's sources together, allowing more than this share of the IPv4 space (overlaps counted once, IPv4-mapped IPv6 as IPv4) is refused.",
    ),
  maxIPv6Percent: z
    .number()
    .positive()
    .max(100)
    .default(D.maxIPv6Percent)
    .describe('A source allowing more than this share of the IPv6 space in total is refused. Kept for older files: maxIPv6Slash32s is far stricter.'),
  // A count of /32s rather than a share: 1 % of IPv6 is more than every provider holds together.
  maxIPv6Slash32s: z
    .number()
    .positive()
    .max(2 ** 96)
    .default(D.maxIPv6Slash32s)
    .describe(
      "A source, or the vendor's sources together, allowing more IPv6 than this many /32s (a provider allocation; 0.0625 is a /36) is refused. The default 1 also refuses any single prefix shorter than /32.",
    ),
  reason: reason("this vendor's limits are looser than the defaults").optional().describe('Required when a limit is looser than its default.'),
}).superRefine((value, ctx) => {
  if (value === null || typeof value !== 'object') return;
  const limits = { ...D, ...(value as Partial<typeof D>) };
  if (BREADTH_LIMIT_KEYS.some((k) => typeof limits[k] !== 'number')) return; // the field schemas report those
  const looser = looserThanDefault(limits);
  if (looser.length > 0 && (value as { reason?: unknown }).reason === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['reason'],
      message: `required because a limit is looser than its default: ${looser.join(', ')}. Say why, or accept only the source that needs it with acceptBroadRanges`,
    });
  }
}, ALWAYS);

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
  appIds: z.array(guid()).default([]).describe("Application (client) ids of the vendor's apps."),
  ownerTenantIds: z.array(guid()).default([]).describe("Tenant ids that own the vendor's apps (appOwnerOrganizationId)."),
  allowedRanges: z.array(rangeSourceSchema).default([]).describe("Where the vendor's apps may sign in from."),
  broadRangeLimits: broadRangeLimitsSchema
    .optional()
    .describe(
      'How broad each allowlist source, and all of them together, may be before it is refused; defaults /8, /16, 1 % of IPv4, 1 % of IPv6 and one /32 of IPv6.',
    ),
}).superRefine(checkVendor, ALWAYS);

/** The file's view of a vendor, after defaults. */
export type VendorFile = z.output<typeof vendorSchema>;
/** The file's view of a range source, after defaults. */
export type RangeSourceFile = z.output<typeof rangeSourceSchema>;
