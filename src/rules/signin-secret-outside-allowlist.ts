import { defineRule } from './define.js';
import { matchOutsideAllowlist, outsideAllowlistContexts } from './signin-outside-allowlist.js';

const ID = 'signin-secret-outside-allowlist';

/** The same pattern as the certificate rule, for client secrets (easier to leak: they sit in config files). */
export const signinSecretOutsideAllowlist = defineRule({
  id: ID,
  title: 'App client secret used outside its allowed networks',
  description:
    'Detects a service-principal sign-in authenticated with a client secret (clientCredentialType "clientSecret") from an IP address outside the ranges allowed for the app\'s vendor. Critical when the app holds an application mailbox permission that reaches every mailbox and the sign-in succeeded or its outcome is unknown; high otherwise. A failed attempt is one level lower, and so is a sign-in without a usable IP address (the finding says so).',
  severity: 'critical',
  mitre: ['T1078.004', 'T1550.001', 'T1114.002'],
  falsePositives: [
    'The vendor added a data centre or cloud region and the allowlist source has not caught up (check whether the allowlist is marked stale).',
    "A developer or the vendor's support ran the app from a laptop with a copy of the secret (itself worth stopping).",
    'Sign-in logs without an IP address cannot be attributed to the vendor.',
  ],
  runbook: [
    'Contact the app owner or vendor with the sign-in id, time, IP, ASN and secret key id; ask whether the address is theirs.',
    'Search the unified audit log for MailItemsAccessed with the app id around the sign-in time to see which mailboxes were read.',
    'If the address is not confirmed, remove the secret from the app (Certificates & secrets) or disable the service principal (accountEnabled=false); expect the legitimate service to stop until a new credential is deployed.',
    'Replace the secret with a certificate or a federated credential; secrets are copied into config files and pipelines and leak from there.',
    'Limit the app to the mailboxes it needs with an Exchange Application Access Policy or RBAC for Applications.',
    'If the address is legitimate, add the range to the allowlist source so the next sign-in matches.',
  ],
  status: 'stable',
  family: ID,
  finding: 'event',
  input: 'signIn',
  match: ({ event }, context) => matchOutsideAllowlist(ID, 'secret', event, context),
  cases: (t) => {
    const { mailboxVendor, plainVendor, unknownAllowlist } = outsideAllowlistContexts(t);
    const secret = { credentialType: 'clientSecret' } as const;
    return [
      { name: 'mailbox-wide app, successful secret sign-in from outside the ranges', input: t.signIn(secret), context: mailboxVendor, expect: ['critical'] },
      {
        name: 'failed attempt from outside is one level lower',
        input: t.signIn({ ...secret, outcome: 'failure', errorCode: 7000215 }),
        context: mailboxVendor,
        expect: ['high'],
      },
      { name: 'app without mailbox-wide access is high', input: t.signIn(secret), context: plainVendor, expect: ['high'] },
      { name: 'IPv6 outside the vendor /48', input: t.signIn({ ...secret, ipAddress: '2001:db8:5::7' }), context: mailboxVendor, expect: ['critical'] },
      { name: 'missing IP fires one level lower', input: t.signIn({ ...secret, ipAddress: undefined }), context: mailboxVendor, expect: ['high'] },
      {
        name: 'unknown outcome keeps the full severity',
        input: t.signIn({ ...secret, outcome: 'unknown', errorCode: undefined }),
        context: mailboxVendor,
        expect: ['critical'],
      },
      { name: 'IPv4 inside the vendor range', input: t.signIn({ ...secret, ipAddress: '205.139.110.25' }), context: mailboxVendor, expect: [] },
      {
        name: 'IPv4-mapped IPv6 inside the IPv4 range',
        input: t.signIn({ ...secret, ipAddress: '::ffff:205.139.110.25' }),
        context: mailboxVendor,
        expect: [],
      },
      {
        name: 'allowlist unknown: silent here, the scan reports the allowlist',
        input: t.signIn(secret),
        context: { ...unknownAllowlist, ...t.withApps(t.inventoryApp()) },
        expect: [],
      },
      { name: "certificate: the certificate rule's job", input: t.signIn(), context: mailboxVendor, expect: [] },
    ];
  },
});
