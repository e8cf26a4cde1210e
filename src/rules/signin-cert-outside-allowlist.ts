import { defineRule } from './define.js';
import { matchOutsideAllowlist, outsideAllowlistContexts } from './signin-outside-allowlist.js';

const ID = 'signin-cert-outside-allowlist';

/** The 2021 Mimecast attack: a vendor's certificate used from a network that is not the vendor's. */
export const signinCertOutsideAllowlist = defineRule({
  id: ID,
  title: 'Vendor certificate used outside its allowed networks',
  description:
    'Detects a service-principal sign-in authenticated with a certificate (clientCredentialType "certificate" or "clientAssertion") from an IP address outside the ranges allowed for the app\'s vendor, the pattern of the 2021 Mimecast certificate theft. Critical when the app holds an application mailbox permission that reaches every mailbox and the sign-in succeeded or its outcome is unknown; high otherwise. A failed attempt is one level lower, and so is a sign-in without a usable IP address (the finding says so).',
  severity: 'critical',
  mitre: ['T1550.001', 'T1078.004', 'T1114.002'],
  falsePositives: [
    "The vendor added a data centre or cloud region and the allowlist source has not caught up (check whether the allowlist is marked stale and compare with the vendor's published ranges).",
    'The vendor routes through a new egress provider or IPv6 range.',
    'Sign-in logs without an IP address (rare service-side sign-ins) cannot be attributed to the vendor.',
  ],
  runbook: [
    "Contact the vendor's security team with the sign-in id, time, IP, ASN and certificate key id; ask whether the address is theirs and whether their certificate may be compromised.",
    'In Exchange Online, search the unified audit log for MailItemsAccessed with the app id (Search-UnifiedAuditLog -Operations MailItemsAccessed, AppId) around the sign-in time to see which mailboxes were read.',
    "If the vendor does not confirm the address, disable the service principal (Update-MgServicePrincipal -AccountEnabled:$false) or remove its full_access_as_app app role assignment; this stops the vendor's service too, so agree it with the service owner.",
    'Limit the app to the mailboxes it needs with an Exchange Application Access Policy or RBAC for Applications.',
    'Have the vendor rotate the certificate; confirm the new key id in later sign-ins and that the old one stops appearing.',
    "If the address is the vendor's, add the range to the allowlist source (with provenance) so the next sign-in matches.",
  ],
  status: 'stable',
  family: ID,
  finding: 'event',
  input: 'signIn',
  match: ({ event }, context) => matchOutsideAllowlist(ID, 'certificate', event, context),
  cases: (t) => {
    const { mailboxVendor, plainVendor, unknownAllowlist, noAllowlist } = outsideAllowlistContexts(t);
    const failed = { outcome: 'failure', errorCode: 7000215 } as const;
    return [
      { name: 'mailbox-wide vendor app, successful sign-in from outside the ranges', input: t.signIn(), context: mailboxVendor, expect: ['critical'] },
      { name: 'failed attempt from outside is one level lower', input: t.signIn(failed), context: mailboxVendor, expect: ['high'] },
      { name: 'app without mailbox-wide access is high', input: t.signIn(), context: plainVendor, expect: ['high'] },
      { name: 'app without mailbox-wide access, failed attempt', input: t.signIn(failed), context: plainVendor, expect: ['medium'] },
      {
        name: 'client assertion counts as a certificate',
        input: t.signIn({ credentialType: 'clientAssertion' }),
        context: mailboxVendor,
        expect: ['critical'],
      },
      { name: 'IPv6 outside the vendor /48', input: t.signIn({ ipAddress: '2001:db8:5::7', asn: undefined }), context: mailboxVendor, expect: ['critical'] },
      {
        name: 'unknown outcome (status without errorCode) keeps the full severity',
        input: t.signIn({ outcome: 'unknown', errorCode: undefined }),
        context: mailboxVendor,
        expect: ['critical'],
      },
      {
        name: 'missing IP fires one level lower',
        input: t.signIn({ ipAddress: undefined, rawIpAddress: undefined }),
        context: mailboxVendor,
        expect: ['high'],
      },
      {
        name: 'unparseable IP fires one level lower',
        input: t.signIn({ ipAddress: undefined, rawIpAddress: '203.0.113.x' }),
        context: mailboxVendor,
        expect: ['high'],
      },
      {
        name: 'failed attempt without an IP is two levels lower',
        input: t.signIn({ ...failed, ipAddress: undefined }),
        context: mailboxVendor,
        expect: ['medium'],
      },
      {
        name: 'inventory does not know the app: high, not critical',
        input: t.signIn(),
        context: t.allowlistFor(t.allowlistOk(t.MIMECAST_RANGES, 'Mimecast')),
        expect: ['high'],
      },
      { name: 'IPv4 inside the vendor range', input: t.signIn({ ipAddress: '205.139.110.25' }), context: mailboxVendor, expect: [] },
      { name: 'IPv6 inside the vendor /48', input: t.signIn({ ipAddress: '2a01:111:f400:1::25' }), context: mailboxVendor, expect: [] },
      { name: 'IPv4-mapped IPv6 inside the IPv4 range', input: t.signIn({ ipAddress: '::ffff:205.139.110.25' }), context: mailboxVendor, expect: [] },
      { name: 'allowlist unknown: silent here, the scan reports the allowlist', input: t.signIn(), context: unknownAllowlist, expect: [] },
      { name: "no allowlist: another rule's job", input: t.signIn(), context: noAllowlist, expect: [] },
      { name: "client secret: the secret rule's job", input: t.signIn({ credentialType: 'clientSecret' }), context: mailboxVendor, expect: [] },
      {
        name: "federated credential: the federated rule's job",
        input: t.signIn({ credentialType: 'federatedIdentityCredential' }),
        context: mailboxVendor,
        expect: [],
      },
    ];
  },
});
