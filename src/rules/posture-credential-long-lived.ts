import { defineRule } from './define.js';
import { describeCredential } from './facts.js';
import { credentialPosture, day } from './posture.js';

const ID = 'posture-credential-long-lived';

/** A stolen credential is worth as long as it stays valid. */
export const postureCredentialLongLived = defineRule({
  id: ID,
  title: 'Long-lived credential',
  description:
    'Detects a certificate valid for more than 365 days or a secret valid for more than 180 days (configurable posture thresholds). Medium on mailbox-capable apps, low otherwise.',
  severity: 'medium',
  mitre: ['T1078.004', 'T1552.004'],
  falsePositives: ['Certificates issued by an internal CA with a standard multi-year lifetime and a tracked rotation process.'],
  runbook: [
    'Agree a shorter lifetime with the app owner (certificates ≤ 1 year, secrets ≤ 6 months) or move to a federated credential or managed identity.',
    'Add the replacement, switch the workload, confirm the new key id in sign-ins, then remove the long-lived credential.',
    'Consider an app management policy (Entra ID) that limits credential lifetimes tenant-wide.',
  ],
  status: 'stable',
  family: ID,
  finding: 'state',
  input: 'posture',
  match: ({ assessment }, context) =>
    credentialPosture(ID, assessment, context, ({ credential: c, flags, lifetimeInDays }, a) => {
      if (!flags.includes('longLived')) return undefined;
      const limit = c.kind === 'secret' ? context.posture.secretMaxLifetimeInDays : context.posture.certificateMaxLifetimeInDays;
      return {
        severity: a.mailboxCapable ? 'medium' : 'low',
        summary: `${describeCredential(c)} of "${a.app.displayName}" is valid for ${lifetimeInDays ?? '?'} days, until ${day(c.endDateTime)} (limit ${limit})`,
        details: { lifetimeInDays: lifetimeInDays ?? null, limitInDays: limit },
      };
    }),
  cases: ({ assessed, credential, daysFromNow, FULL_ACCESS_AS_APP, ownApp, posture }) => {
    const longLived = credential({ kind: 'secret', displayName: 'forever', startDateTime: daysFromNow(-30), endDateTime: daysFromNow(700) });
    return [
      {
        name: 'two-year secret on an ordinary app',
        input: posture(ownApp({ credentials: [longLived] }), [assessed(longLived, ['longLived'])]),
        expect: ['low'],
      },
      {
        name: 'two-year secret on a mailbox-capable app',
        input: posture(ownApp({ credentials: [longLived], mailboxPermissions: [FULL_ACCESS_AS_APP] }), [
          assessed(longLived, ['longLived', 'secretOnMailboxApp']),
        ]),
        expect: ['medium'],
      },
      { name: 'one-year certificate', input: posture(ownApp(), [assessed(credential())]), expect: [] },
    ];
  },
});
