import { z } from 'zod';
import { nonNegativeInt, positiveInt, strictObject } from './schema-parts.js';

/** Tuning of the detections; defaults and their reasons are in docs/configuration.md. */
export const detectionSchema = strictObject({
  learningPeriodInDays: positiveInt()
    .max(90)
    .default(7)
    .describe('How long credwatch learns the networks of a privileged app without an allowlist before a new network alerts.'),
  credentialUseWindowInMinutes: positiveInt().default(30).describe('A credential used this soon after it was added raises credential-added-then-used.'),
  groupingWindowInHours: positiveInt().max(168).default(24).describe('Findings of one rule, app, credential and network within this window form one alert.'),
  renotifyAfterInHours: nonNegativeInt().default(24).describe('An alert that keeps firing is sent again after this long with updated counts; 0 never repeats.'),
}).prefault({});

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'expected a date as YYYY-MM-DD' })
  .refine(
    (s) => {
      // Date.parse accepts 2027-02-30 and rolls over; a real date reads back unchanged.
      const d = new Date(`${s}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
    },
    { message: 'expected a real calendar date' },
  );

/**
 * A suppression silences alerts for a known, accepted case without hiding it: the finding is kept
 * and shown in the report. Every suppression needs a reason, an owner and an expiry.
 */
export const suppressionSchema = strictObject({
  rule: z.string().min(1).describe('Rule id, e.g. signin-cert-outside-allowlist.'),
  appId: z.guid().optional().describe('Only this app.'),
  network: z.string().min(1).optional().describe('Only this network key: AS<n>, an IPv4 /24 or an IPv6 /48 as shown in alerts.'),
  credentialKeyId: z.string().min(1).optional().describe('Only this credential (key id).'),
  reason: z.string().min(5).describe('Why this is accepted.'),
  owner: z.string().min(1).describe('Who accepted it (a person or team to ask).'),
  expires: day.describe('Last day (UTC) it applies; after that it stops suppressing and is reported as expired.'),
}).superRefine((value, ctx) => {
  if (value.appId === undefined && value.network === undefined && value.credentialKeyId === undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['rule'],
      message: 'a suppression must name at least one of appId, network or credentialKeyId; silencing a whole rule is not allowed',
    });
  }
});

export type DetectionFile = z.infer<typeof detectionSchema>;
export type SuppressionFile = z.infer<typeof suppressionSchema>;
