/**
 * zod pieces the commands' option schemas share. Commander hands every option over as a string;
 * these turn them into numbers and check their range, with a message naming what is accepted
 * (src/cli/usage.ts prints it after the flag, exit 2).
 */
import { z } from 'zod';
import { formatDuration, parseDurationInMs, unitInMs, type DurationUnit } from './duration.js';

const UNIT_WORDS: Record<DurationUnit, string> = { s: 'seconds', m: 'minutes', h: 'hours', d: 'days' };
const EXAMPLES: Record<DurationUnit, string> = { s: '30s, 2m or 1h', m: '90m, 2h or 1d', h: '12h, 1d or 2d', d: '1d, 7d or 30d' };

/** A duration option, in milliseconds; `whole` rounds nothing: `90s` is refused where whole minutes are needed. */
export function duration(options: { plainUnit: DurationUnit; minInMs: number; maxInMs: number; whole?: DurationUnit }) {
  const { plainUnit, minInMs, maxInMs, whole } = options;
  const expected =
    `expected a duration from ${formatDuration(minInMs)} to ${formatDuration(maxInMs)}` +
    `${whole ? ` in whole ${UNIT_WORDS[whole]}` : ''}, such as ${EXAMPLES[plainUnit]} (a plain number counts ${UNIT_WORDS[plainUnit]})`;
  return z.string().transform((text, ctx) => {
    const ms = parseDurationInMs(text, plainUnit);
    if (ms === undefined || ms < minInMs || ms > maxInMs || (whole !== undefined && ms % unitInMs(whole) !== 0)) {
      ctx.addIssue({ code: 'custom', message: expected });
      return z.NEVER;
    }
    return ms;
  });
}

/** A TCP port; 0 lets the system pick a free one. */
export const port = () =>
  z
    .string()
    .regex(/^\d{1,5}$/, { message: 'expected a port number from 0 to 65535' })
    .transform(Number)
    .refine((n) => n <= 65_535, { message: 'expected a port number from 0 to 65535' });

/** A tenant name from the configuration (checked against it once it is loaded). */
export const tenantName = () => z.string().min(1, { message: 'expected the name of a configured tenant' }).optional();
