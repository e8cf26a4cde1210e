/**
 * The `tenants[]` part of the file: which tenant, in which cloud, and how credwatch authenticates to it.
 * Only references to secrets live here (paths and variable names); the material is read by secrets.ts.
 */
import { z } from 'zod';
import { CLOUD_NAMES } from './clouds.js';
import { ALWAYS, envName, filePath, guid, httpsUrl, strictObject } from './schema-parts.js';

const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const THUMBPRINT = /^(?:[0-9A-Fa-f]{64}|[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){31})$/;

/**
 * Requires exactly one of two alternative keys (a file or an environment variable). Written against
 * `unknown` because it runs even when the rest of the object failed to parse.
 */
function exactlyOne(first: string, second: string, what: string) {
  return (value: unknown, ctx: z.core.$RefinementCtx): void => {
    if (value === null || typeof value !== 'object') return;
    const has = (key: string): boolean => (value as Record<string, unknown>)[key] !== undefined;
    if (!has(first) && !has(second)) {
      ctx.addIssue({ code: 'custom', message: `needs ${what}: set either ${first} or ${second}` });
    } else if (has(first) && has(second)) {
      ctx.addIssue({ code: 'custom', path: [second], message: `set only one of ${first} and ${second}, not both` });
    }
  };
}

const clientId = () => guid().describe("The application (client) id of credwatch's app registration.");

const certificateAuthSchema = strictObject({
  mode: z.literal('certificate'),
  clientId: clientId(),
  certificatePath: filePath().optional().describe("PEM file with the app's X.509 certificate (public part; a file that also holds the key is fine)."),
  certificateEnv: envName()
    .optional()
    .describe(
      'Environment variable holding the certificate PEM, e.g. an app setting filled by a Key Vault reference; may be the same variable as privateKeyEnv when it holds both.',
    ),
  privateKeyPath: filePath().optional().describe("PEM file with the certificate's private key (unencrypted PKCS#8 or PKCS#1)."),
  privateKeyEnv: envName().optional().describe('Environment variable holding the private key PEM.'),
  thumbprintSha256: z
    .string()
    .regex(THUMBPRINT, { message: "expected the certificate's SHA-256 thumbprint: 64 hex digits, with or without colons" })
    .optional()
    .describe('SHA-256 thumbprint of the certificate; computed from the certificate when omitted, checked against it when given.'),
})
  .superRefine(exactlyOne('certificatePath', 'certificateEnv', 'the certificate'), ALWAYS)
  .superRefine(exactlyOne('privateKeyPath', 'privateKeyEnv', 'the private key'), ALWAYS);

const secretAuthSchema = strictObject({
  mode: z.literal('secret'),
  clientId: clientId(),
  clientSecretEnv: envName().optional().describe('Environment variable holding the client secret.'),
  clientSecretPath: filePath().optional().describe('File holding the client secret (a trailing newline is ignored).'),
}).superRefine(exactlyOne('clientSecretEnv', 'clientSecretPath', 'the client secret'), ALWAYS);

const managedIdentityAuthSchema = strictObject({
  mode: z.literal('managedIdentity'),
  clientId: guid().optional().describe('Client id of a user-assigned managed identity; omit for the system-assigned identity.'),
});

/** How credwatch signs in to a tenant. */
export const authSchema = z.discriminatedUnion('mode', [certificateAuthSchema, secretAuthSchema, managedIdentityAuthSchema]);

/** One monitored tenant. */
export const tenantSchema = strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, { message: 'expected a short label of lower-case letters, digits and hyphens, such as "contoso"' })
    .describe('Label used in logs, alerts and state keys; unique; lower-case letters, digits and hyphens.'),
  tenantId: z
    .string()
    .refine((value) => GUID.test(value) || DOMAIN.test(value), {
      message: 'expected the tenant id (a GUID) or a verified domain such as contoso.onmicrosoft.com',
    })
    .describe('Directory (tenant) id or a verified domain name.'),
  cloud: z.enum(CLOUD_NAMES).default('global').describe('The national cloud the tenant lives in.'),
  endpoints: strictObject({
    authorityHost: httpsUrl().optional().describe("Overrides the cloud's login host, e.g. a simulator."),
    graphBaseUrl: httpsUrl().optional().describe("Overrides the cloud's Microsoft Graph base URL (no version segment)."),
    caCertificatePath: filePath().optional().describe('PEM file of an extra certificate authority to trust for these endpoints.'),
  })
    .optional()
    .describe('Overrides for a simulator or a TLS-inspecting proxy; https only.'),
  auth: authSchema,
});

/** The file's view of a tenant, after defaults. */
export type TenantFile = z.output<typeof tenantSchema>;
/** The file's view of a tenant's auth block, after defaults. */
export type AuthFile = z.output<typeof authSchema>;
