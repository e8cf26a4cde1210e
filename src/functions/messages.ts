/**
 * The queue messages the timers fan out: one per tenant. Small and versioned (a queue message is
 * at most 64 KB, and a message written by an older deployment may still be queued after an
 * upgrade), validated on the way in so a bad one fails with a clear reason instead of a TypeError.
 */
import { z } from 'zod';
import { CredwatchError } from '../errors.js';

const tenantMessageSchema = z.object({
  v: z.literal(1),
  tenant: z.string().min(1).max(63),
  /** The timer tick that queued it, for the logs and for spotting stale messages. */
  tick: z.iso.datetime(),
  /** Reports only: the ISO week to build (default: the last complete week at run time). */
  week: z
    .string()
    .regex(/^\d{4}-W\d{2}$/)
    .optional(),
});

export type TenantMessage = z.infer<typeof tenantMessageSchema>;

/**
 * Queue-triggered functions read base64 message bodies by default (host.json
 * `extensions.queues.messageEncoding`), so that is how messages are written.
 */
export function encodeMessage(message: TenantMessage): string {
  return Buffer.from(JSON.stringify(message), 'utf8').toString('base64');
}

/** The inverse of encodeMessage, as the host does it before calling the handler. */
export function decodeQueueBody(body: string): unknown {
  const text = Buffer.from(body, 'base64').toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The host hands JSON messages over parsed and anything else as a string; both are accepted. */
export function parseTenantMessage(input: unknown): TenantMessage {
  let value = input;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      // falls through to the schema's message
    }
  }
  const parsed = tenantMessageSchema.safeParse(value);
  if (!parsed.success) {
    throw new CredwatchError(
      'QUEUE_MESSAGE_INVALID',
      `Queue message is not a credwatch tenant message: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`,
      {
        details: { preview: String(typeof input === 'string' ? input : JSON.stringify(input)).slice(0, 200) },
      },
    );
  }
  return parsed.data;
}
