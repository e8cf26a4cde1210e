import { defineRule } from './define.js';
import { describeCredential, mailboxPermissionNames } from './facts.js';
import { credentialPosture } from './posture.js';

const ID = 'posture-secret-on-mailbox-app';

/** Secrets are copied into config files and pipelines; on a mailbox app that copy opens every mailbox. */
export const postureSecretOnMailboxApp = defineRule({
  id: ID,
  title: 'Client secret on a mailbox-capable app',
  description:
    "Detects a client secret on an app that holds mailbox permissions. Secrets travel in configuration files, pipelines and chat, and unlike a certificate's private key they cannot be kept in hardware; a leaked copy reads mailboxes from anywhere.",
  severity: 'medium',
  mitre: ['T1552.001', 'T1078.004'],
  falsePositives: ['A product that supports only secrets (ask the vendor for certificate support and keep the secret short-lived).'],
  runbook: [
    'Replace the secret with a certificate (private key in Key Vault or an HSM), a federated credential, or a managed identity when the workload runs in Azure.',
    'Until then, keep the secret short-lived and stored in Key Vault, and configure an allowlist for the networks the app signs in from.',
    'Remove the secret once the workload uses the new credential (confirm the new key id in sign-ins).',
  ],
  status: 'stable',
  family: ID,
  finding: 'state',
  input: 'posture',
  match: ({ assessment }, context) =>
    credentialPosture(ID, assessment, context, ({ credential: c, flags }, a) =>
      flags.includes('secretOnMailboxApp')
        ? {
            severity: 'medium',
            summary: `"${a.app.displayName}" (${mailboxPermissionNames(a.app)}) authenticates with ${describeCredential(c)}`,
            details: { hint: c.hint ?? null },
          }
        : undefined,
    ),
  cases: ({ assessed, credential, FULL_ACCESS_AS_APP, NEW_KEY_ID, ownApp, posture }) => {
    const secret = credential({ keyId: NEW_KEY_ID, kind: 'secret', displayName: 'prod', thumbprintSha1: undefined, hint: 'Xy7' });
    return [
      {
        name: 'secret on an app with full_access_as_app',
        input: posture(ownApp({ credentials: [credential(), secret], mailboxPermissions: [FULL_ACCESS_AS_APP] }), [
          assessed(credential()),
          assessed(secret, ['secretOnMailboxApp']),
        ]),
        expect: ['medium'],
      },
      { name: 'secret on an app without mailbox access', input: posture(ownApp({ credentials: [secret] }), [assessed(secret)]), expect: [] },
    ];
  },
});
