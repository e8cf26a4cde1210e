import { defineRule } from './define.js';
import { describeCredential } from './facts.js';
import { credentialPosture, day } from './posture.js';

const ID = 'posture-credential-expiring';

/** An expiring credential on a mailbox app is an outage waiting to be "fixed" by a rushed secret. */
export const postureCredentialExpiring = defineRule({
  id: ID,
  title: 'Credential expiring soon',
  description:
    'Detects a certificate or secret that expires within the posture window (30 days by default). Medium on mailbox-capable apps, where a rushed rotation tends to produce a long-lived secret; low otherwise.',
  severity: 'medium',
  mitre: ['T1078.004'],
  falsePositives: ['The replacement is already on the app and in use: the old credential is simply waiting to expire (remove it to silence this).'],
  runbook: [
    'Find the owner of the app and agree a rotation date before expiry.',
    'Prefer a certificate (2048-bit RSA or better, at most a year) or a federated credential over a secret; upload the new one, switch the workload to it, then remove the old one.',
    'Confirm in the sign-in logs that the new key id is used before deleting the old credential.',
  ],
  status: 'stable',
  family: ID,
  finding: 'state',
  input: 'posture',
  match: ({ assessment }, context) =>
    credentialPosture(ID, assessment, context, ({ credential: c, flags }, a) =>
      flags.includes('expiringSoon')
        ? {
            severity: a.mailboxCapable ? 'medium' : 'low',
            summary: `${describeCredential(c)} of "${a.app.displayName}" expires on ${day(c.endDateTime)}`,
            details: { endDateTime: c.endDateTime?.toISOString() ?? null, windowInDays: context.posture.expiringWithinDays },
          }
        : undefined,
    ),
  cases: ({ assessed, credential, daysFromNow, FULL_ACCESS_AS_APP, ownApp, posture }) => {
    const expiring = credential({ startDateTime: daysFromNow(-340), endDateTime: daysFromNow(14) });
    return [
      { name: 'expiring on an ordinary app', input: posture(ownApp({ credentials: [expiring] }), [assessed(expiring, ['expiringSoon'])]), expect: ['low'] },
      {
        name: 'expiring on a mailbox-capable app',
        input: posture(ownApp({ credentials: [expiring], mailboxPermissions: [FULL_ACCESS_AS_APP] }), [assessed(expiring, ['expiringSoon'])]),
        expect: ['medium'],
      },
      { name: 'valid for months', input: posture(ownApp(), [assessed(credential())]), expect: [] },
    ];
  },
});
