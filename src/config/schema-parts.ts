/**
 * Building blocks shared by the configuration schema: strict objects with helpful unknown-key
 * messages, and the string formats the file uses (GUIDs, environment variable names, https URLs,
 * cron expressions, time zones). Kept free of I/O so the JSON Schema can be generated from it.
 */
import { validateDetailed } from 'node-cron';
import { z } from 'zod';
import { unknownKeyMessage } from './unknown-keys.js';

/**
 * A strict object whose unknown keys are errors, each with a suggestion. zod reports all unknown keys
 * of an object in one issue; the message has one line per key, in order, and `addZodIssues` splits it
 * back into one problem per key.
 */
export function strictObject<Shape extends z.core.$ZodLooseShape>(shape: Shape): z.ZodObject<Shape, z.core.$strict> {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? issue.keys.map((key) => unknownKeyMessage(key, known)).join('\n') : undefined),
  });
}

/** Runs a refinement even when parts of the object are invalid, so every problem is reported at once. */
export const ALWAYS = { when: (): boolean => true } as const;

/** A GUID in its usual 8-4-4-4-12 form (Microsoft's first-party ids are not RFC 4122 UUIDs). */
export const guid = (): z.ZodGUID => z.guid();

/** The name of an environment variable; catches a secret pasted where its variable's name belongs. */
export const envName = (): z.ZodString =>
  z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
    message: 'expected the NAME of an environment variable (letters, digits and underscores), not its value',
  });

/** A path to a file, relative to the config file's directory or absolute. */
export const filePath = (): z.ZodString => z.string().min(1);

/** Checks the parts of a URL every option shares: parsable, no user:password, no fragment. */
function urlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `expected an absolute URL, got ${JSON.stringify(value)}`;
  }
  if (url.username !== '' || url.password !== '') return 'must not carry a user name or password (they are secrets)';
  if (url.hash !== '') return 'must not have a #fragment';
  return undefined;
}

/** An https URL. Plain http would send tokens and alert contents in clear text. */
export const httpsUrl = (): z.ZodString =>
  z
    .string()
    .superRefine((value, ctx) => {
      const problem = urlProblem(value);
      if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
      else if (new URL(value).protocol !== 'https:') ctx.addIssue({ code: 'custom', message: `must be an https URL, got ${JSON.stringify(value)}` });
    })
    // For editors only: the refinement above is what credwatch enforces.
    .meta({ format: 'uri', pattern: '^https://' });

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether a URL points at this machine, where a test receiver without TLS cannot leak anything. */
export function isLoopback(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
}

/**
 * Checks a channel URL read from the environment: https, or loopback http when the channel sets
 * `allowInsecureTestEndpoint` (local receivers in tests and the demo). Returns what is wrong, if anything.
 */
export function channelUrlProblem(value: string, allowInsecureTestEndpoint: boolean): string | undefined {
  const problem = urlProblem(value);
  if (problem !== undefined) return problem;
  const url = new URL(value);
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:' && isLoopback(url)) {
    return allowInsecureTestEndpoint
      ? undefined
      : 'is a plain-http loopback URL; set allowInsecureTestEndpoint: true on this channel if it is a local test receiver';
  }
  return `must be an https URL (plain http is allowed only for loopback test receivers), got a ${url.protocol} URL`;
}

/** A cron expression of 5 or 6 fields (seconds first when 6), checked with the scheduler that runs it. */
export const cronExpression = (): z.ZodString =>
  z.string().superRefine((value, ctx) => {
    const result = validateDetailed(value.trim());
    if (!result.valid) {
      const reasons = result.errors.map((e) => e.message).join('; ');
      ctx.addIssue({ code: 'custom', message: `is not a valid cron expression (${reasons})` });
    }
  });

/** An IANA time zone name such as `UTC` or `Europe/Paris`, as the runtime's Intl knows them. */
export const timeZone = (): z.ZodString =>
  z.string().superRefine((value, ctx) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: value });
    } catch {
      ctx.addIssue({ code: 'custom', message: `is not an IANA time zone name such as "UTC" or "Europe/Paris"` });
    }
  });

/** Non-negative or positive integers with a unit in the option's name. */
export const positiveInt = (): z.ZodNumber => z.number().int().positive();
export const nonNegativeInt = (): z.ZodNumber => z.number().int().nonnegative();
