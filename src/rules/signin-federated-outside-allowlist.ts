import { defineRule } from './define.js';
import { matchOutsideAllowlist, outsideAllowlistContexts } from './signin-outside-allowlist.js';

const ID = 'signin-federated-outside-allowlist';

/**
 * The Mimecast pattern without a key to steal: the app trusts tokens from an external identity
 * provider (workload identity federation, https://learn.microsoft.com/entra/workload-id/workload-identity-federation),
 * so whoever can make that provider issue a matching token signs in as the app — from anywhere.
 */
export const signinFederatedOutsideAllowlist = defineRule({
  id: ID,
  title: 'App federated credential used outside its allowed networks',
  description:
    'Detects a service-principal sign-in authenticated with a federated identity credential (clientCredentialType "federatedIdentityCredential": a token from an external identity provider such as GitHub Actions, Kubernetes or another cloud exchanged for the app\'s token) from an IP address outside the ranges allowed for the app\'s vendor. Critical when the app holds an application mailbox permission that reaches every mailbox and the sign-in succeeded or its outcome is unknown; high otherwise. A failed attempt is one level lower, and so is a sign-in without a usable IP address (the finding says so).',
  severity: 'critical',
  mitre: ['T1078.004', 'T1550.001', 'T1114.002'],
  falsePositives: [
    'The vendor runs the federated workload (a CI runner, a Kubernetes cluster, a function in another cloud) on shared cloud addresses outside the ranges it published; ask for the egress ranges of that workload.',
    'The vendor added a data centre or cloud region and the allowlist source has not caught up (check whether the allowlist is marked stale).',
    'Sign-in logs without an IP address cannot be attributed to the vendor.',
  ],
  runbook: [
    'Contact the app owner or vendor with the sign-in id, time, IP, ASN and the federated credential id in the alert; ask which workload (issuer and subject) signed in and whether the address is theirs.',
    "For an app registered in this tenant, list its federated credentials (Get-MgApplicationFederatedIdentityCredential -ApplicationId …) and check the issuer and subject; for a vendor's multi-tenant app the credential lives in the vendor's tenant and only the vendor can check it.",
    'Search the unified audit log for MailItemsAccessed with the app id around the sign-in time to see which mailboxes were read.',
    'If the sign-in is not confirmed, remove the federated credential (own app: Remove-MgApplicationFederatedIdentityCredential) or disable the service principal (accountEnabled=false); then find how the external identity was obtained (a compromised pipeline or repository, a broad subject such as a wildcard branch).',
    'Limit the app to the mailboxes it needs with an Exchange Application Access Policy or RBAC for Applications.',
    'If the address is legitimate, add the range to the allowlist source so the next sign-in matches.',
  ],
  status: 'stable',
  family: ID,
  finding: 'event',
  input: 'signIn',
  match: ({ event }, context) => matchOutsideAllowlist(ID, 'federated', event, context),
  cases: (t) => {
    const { mailboxVendor, plainVendor, unknownAllowlist, noAllowlist } = outsideAllowlistContexts(t);
    const federated = { credentialType: 'federatedIdentityCredential', credentialKeyId: undefined, federatedCredentialId: 'fic-0001' } as const;
    return [
      {
        name: 'mailbox-wide vendor app, successful federated sign-in from outside the ranges',
        input: t.signIn(federated),
        context: mailboxVendor,
        expect: ['critical'],
      },
      { name: 'app without mailbox-wide access is high', input: t.signIn(federated), context: plainVendor, expect: ['high'] },
      {
        name: 'failed attempt from outside is one level lower',
        input: t.signIn({ ...federated, outcome: 'failure', errorCode: 700213 }),
        context: plainVendor,
        expect: ['medium'],
      },
      {
        name: 'unknown outcome keeps the full severity',
        input: t.signIn({ ...federated, outcome: 'unknown', errorCode: undefined }),
        context: mailboxVendor,
        expect: ['critical'],
      },
      { name: 'missing IP fires one level lower', input: t.signIn({ ...federated, ipAddress: undefined }), context: mailboxVendor, expect: ['high'] },
      { name: 'IPv4 inside the vendor range', input: t.signIn({ ...federated, ipAddress: '205.139.110.25' }), context: mailboxVendor, expect: [] },
      { name: 'allowlist unknown: silent here, the scan reports the allowlist', input: t.signIn(federated), context: unknownAllowlist, expect: [] },
      { name: "no allowlist: another rule's job", input: t.signIn(federated), context: noAllowlist, expect: [] },
      { name: "certificate: the certificate rule's job", input: t.signIn(), context: mailboxVendor, expect: [] },
    ];
  },
});
