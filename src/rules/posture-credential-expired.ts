import { defineRule } from './define.js';
import { describeCredential } from './facts.js';
import { credentialPosture, day } from './posture.js';

const ID = 'posture-credential-expired';

/** Dead credentials are clutter that hides live ones, and a sign of an app nobody looks after. */
export const postureCredentialExpired = defineRule({
  id: ID,
  title: 'Expired credential still on an app',
  description:
    'Detects a certificate or secret past its end date that is still stored on an app or service principal. It cannot be used to sign in, but it clutters the review of live credentials and often marks an app nobody maintains.',
  severity: 'low',
  mitre: ['T1078.004'],
  falsePositives: ['A credential kept on purpose for a short while after rotation, for audit or rollback.'],
  runbook: [
    'Confirm the app has a valid replacement credential and that its sign-ins use the replacement key id.',
    'Remove the expired credential from Certificates & secrets (or from the service principal).',
    'If the app has no valid credential and no recent sign-ins, ask the owner whether the app can be deleted.',
  ],
  status: 'stable',
  family: ID,
  finding: 'state',
  input: 'posture',
  match: ({ assessment }, context) =>
    credentialPosture(ID, assessment, context, ({ credential: c, flags }, a) =>
      flags.includes('expired')
        ? {
            severity: 'low',
            summary: `${describeCredential(c)} of "${a.app.displayName}" expired on ${day(c.endDateTime)}`,
            details: { endDateTime: c.endDateTime?.toISOString() ?? null },
          }
        : undefined,
    ),
  cases: ({ assessed, credential, daysFromNow, ownApp, posture }) => {
    const expired = credential({ startDateTime: daysFromNow(-400), endDateTime: daysFromNow(-35) });
    return [
      { name: 'certificate expired a month ago', input: posture(ownApp({ credentials: [expired] }), [assessed(expired, ['expired'])]), expect: ['low'] },
      { name: 'valid certificate', input: posture(ownApp(), [assessed(credential())]), expect: [] },
    ];
  },
});
