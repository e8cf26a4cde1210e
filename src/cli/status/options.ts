import { z } from 'zod';
import { duration } from '../option-schemas.js';

/** `credwatch status`'s options, as commander hands them over. */
export const statusOptions = z.strictObject({
  // 30 days at most: status reads that much scan history, so a longer limit could never be exceeded.
  staleAfter: duration({ plainUnit: 'm', minInMs: 60_000, maxInMs: 30 * 86_400_000 }),
});
