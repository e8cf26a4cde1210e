import { z } from 'zod';
import { duration, tenantName } from '../option-schemas.js';

/** The scan deadline's bounds, as collection.maxRunMinutes has them. */
const MAX_RUN = duration({ plainUnit: 'm', minInMs: 60_000, maxInMs: 1_440 * 60_000, whole: 'm' });

/** `credwatch scan`'s options, as commander hands them over. */
export const scanOptions = z.strictObject({
  tenant: tenantName(),
  json: z.boolean().optional(),
  maxRunMinutes: MAX_RUN.transform((ms) => ms / 60_000).optional(),
});
