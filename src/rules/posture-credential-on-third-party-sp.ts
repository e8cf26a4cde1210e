import { defineRule, NO_FINDINGS } from './define.js';
import { describeCredential } from './facts.js';
import { credentialPosture } from './posture.js';

const ID = 'posture-credential-on-third-party-sp';

/** A vendor's credentials live in the vendor's tenant; one in ours was put there by someone here. */
export const postureCredentialOnThirdPartySp = defineRule({
  id: ID,
  title: 'Credential on a third-party service principal',
  description:
    'Detects a certificate or secret stored on the service principal of a multi-tenant vendor app in this tenant. The vendor authenticates with credentials in its own tenant, so a credential here lets whoever holds it sign in as the vendor app, with all its permissions, and it does not show on any app registration blade.',
  severity: 'high',
  mitre: ['T1098.001', 'T1078.004'],
  falsePositives: [
    "A vendor whose setup guide asks the customer to upload a certificate to the service principal (rare; confirm with the vendor's documentation).",
    'SAML signing certificates on enterprise apps configured for single sign-on (usage Sign, not Verify).',
  ],
  runbook: [
    'List the credential with Get-MgServicePrincipal -ServicePrincipalId … -Property keyCredentials,passwordCredentials and find when it was added and by whom (directory audit "Add service principal credentials").',
    'Ask the vendor whether they need it. If not, remove it (Remove-MgServicePrincipalKey / Remove-MgServicePrincipalPassword).',
    "Review the app's sign-ins with this key id and, for mailbox-capable apps, MailItemsAccessed for the app id.",
  ],
  status: 'stable',
  family: ID,
  finding: 'state',
  input: 'posture',
  match: ({ assessment }, context) =>
    assessment.app.ownership !== 'thirdParty'
      ? NO_FINDINGS
      : credentialPosture(ID, assessment, context, ({ credential: c, flags }, a) =>
          flags.includes('onServicePrincipal')
            ? {
                severity: 'high',
                summary: `${describeCredential(c)} sits on the service principal of vendor app "${a.app.displayName}" in this tenant`,
                details: { usage: c.usage ?? null },
              }
            : undefined,
        ),
  cases: ({ assessed, credential, FULL_ACCESS_AS_APP, inventoryApp, ownApp, posture }) => {
    const onSp = credential({ holder: 'servicePrincipal', kind: 'secret', displayName: undefined });
    return [
      {
        name: 'secret on a vendor service principal',
        input: posture(inventoryApp({ credentials: [onSp] }), [assessed(onSp, ['onServicePrincipal'])]),
        expect: ['high'],
      },
      {
        name: 'on a mailbox-capable vendor app too',
        input: posture(inventoryApp({ credentials: [onSp], mailboxPermissions: [FULL_ACCESS_AS_APP] }), [
          assessed(onSp, ['onServicePrincipal', 'secretOnMailboxApp']),
        ]),
        expect: ['high'],
      },
      {
        name: 'own app with a credential on its service principal',
        input: posture(ownApp({ credentials: [onSp] }), [assessed(onSp, ['onServicePrincipal'])]),
        expect: [],
      },
      { name: 'vendor app with no credentials here', input: posture(inventoryApp()), expect: [] },
    ];
  },
});
