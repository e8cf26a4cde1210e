import { z } from 'zod';
import { tenantName } from '../option-schemas.js';

/** `credwatch inventory`'s options, as commander hands them over. */
export const inventoryOptions = z.strictObject({
  tenant: tenantName(),
  format: z.enum(['table', 'json', 'csv']),
  all: z.boolean().optional(),
  out: z.string().min(1, { message: 'expected a file path' }).optional(),
});
