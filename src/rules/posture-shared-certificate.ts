import { defineRule } from './define.js';
import { describeCredential } from './facts.js';
import { credentialPosture } from './posture.js';

const ID = 'posture-shared-certificate';

/** One stolen private key should not open several apps. */
export const postureSharedCertificate = defineRule({
  id: ID,
  title: 'Certificate shared by several apps',
  description:
    'Detects a certificate (same SHA-1 thumbprint) registered on more than one app or service principal, so one stolen private key signs in as all of them and their permissions add up.',
  severity: 'medium',
  mitre: ['T1552.004', 'T1078.004'],
  falsePositives: ['Several registrations of one product (e.g. per-region apps) deliberately sharing a key; still better split.'],
  runbook: [
    "List the apps with this thumbprint in the weekly report's credential hygiene section.",
    'Issue a separate certificate per app, deploy each, confirm the new key ids in sign-ins, then remove the shared one from every app.',
  ],
  status: 'stable',
  family: ID,
  finding: 'state',
  input: 'posture',
  match: ({ assessment }, context) =>
    credentialPosture(ID, assessment, context, ({ credential: c, flags }, a) =>
      flags.includes('shared')
        ? {
            severity: 'medium',
            summary: `${describeCredential(c)} of "${a.app.displayName}" is also registered on other apps (thumbprint ${c.thumbprintSha1 ?? 'unknown'})`,
            details: { thumbprintSha1: c.thumbprintSha1 ?? null },
          }
        : undefined,
    ),
  cases: ({ assessed, credential, ownApp, posture }) => [
    { name: 'certificate used by two apps', input: posture(ownApp(), [assessed(credential(), ['shared'])]), expect: ['medium'] },
    { name: 'certificate used by one app', input: posture(ownApp(), [assessed(credential())]), expect: [] },
  ],
});
