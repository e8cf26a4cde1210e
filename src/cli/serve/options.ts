import { z } from 'zod';
import { duration } from '../option-schemas.js';

/** `credwatch serve`'s options, as commander hands them over. */
export const serveOptions = z.strictObject({
  reportDir: z.string().min(1, { message: 'expected a directory' }),
  // An hour at most: past that, a supervisor's own stop timeout has long killed the process.
  grace: duration({ plainUnit: 's', minInMs: 0, maxInMs: 3_600_000 }),
});
