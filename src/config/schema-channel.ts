/**
 * The `channels[]` part of the file: where alerts go. Channel URLs and signing keys are secrets, so
 * the file names the environment variables that hold them (`urlEnv`, `secretEnv`).
 */
import { z } from 'zod';
import { envName, filePath, strictObject } from './schema-parts.js';

import { SEVERITIES } from '../contract.js';

export { SEVERITIES, type Severity } from '../contract.js';

// Options every channel accepts.
const common = {
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { message: 'expected letters, digits, ".", "_" or "-", such as "soc-teams"' })
    .optional()
    .describe('Unique channel name, used as the outbox key; defaults to the type. Name channels explicitly when two share a type.'),
  minSeverity: z.enum(SEVERITIES).default('informational').describe('Alerts below this severity are not sent here.'),
  tenants: z.array(z.string()).min(1).optional().describe('Only alerts of these tenants (by name); all tenants when omitted.'),
  digestThreshold: z.number().int().min(1).max(1000).default(10).describe('When more alerts than this are due at once, send one digest instead of a flood.'),
};

const allowInsecureTestEndpoint = z.boolean().default(false).describe('Allow a plain-http loopback URL (a local test receiver). Never needed in production.');

/** One alert channel. */
export const channelSchema = z.discriminatedUnion('type', [
  strictObject({ type: z.literal('stdout'), ...common }),
  strictObject({
    type: z.literal('jsonl'),
    path: filePath().describe('File alerts are appended to, one JSON object per line.'),
    ...common,
  }),
  strictObject({
    type: z.literal('teams'),
    urlEnv: envName().describe('Environment variable holding the Teams Workflows webhook URL.'),
    allowInsecureTestEndpoint,
    ...common,
  }),
  strictObject({
    type: z.literal('email'),
    fromMailbox: z.email().describe('Mailbox the alert is sent from with Graph sendMail (needs Mail.Send).'),
    to: z.array(z.email()).min(1).describe('Recipients.'),
    senderTenant: z.string().optional().describe('Name of the tenant whose Graph sends the mail; the first tenant when omitted.'),
    ...common,
  }),
  strictObject({
    type: z.literal('webhook'),
    urlEnv: envName().describe("Environment variable holding the receiver's URL."),
    secretEnv: envName().describe('Environment variable holding the key that signs each request (HMAC-SHA256).'),
    allowInsecureTestEndpoint,
    ...common,
  }),
]);

/** The file's view of a channel, after defaults. */
export type ChannelFile = z.output<typeof channelSchema>;
