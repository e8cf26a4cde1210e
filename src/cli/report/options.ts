import { z } from 'zod';
import { isCredwatchError } from '../../errors.js';
import { weekRange } from '../../report/week.js';
import { tenantName } from '../option-schemas.js';

/** An ISO week the report can cover; weekRange's own message says why one is not. */
const week = z.string().superRefine((value, ctx) => {
  try {
    weekRange(value);
  } catch (e: unknown) {
    if (!isCredwatchError(e)) throw e;
    ctx.addIssue({ code: 'custom', message: e.message.replace(/^--week: /, '').replace(/\.$/, '') });
  }
});

/** `credwatch report`'s options, as commander hands them over. */
export const reportOptions = z.strictObject({
  tenant: tenantName(),
  week: week.optional(),
  out: z.string().min(1, { message: 'expected a directory' }),
});
