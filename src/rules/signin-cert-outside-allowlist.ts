import { isCertificateLike } from '../collect/signins.js';
import { defineRule, NO_FINDINGS } from './define.js';
import { matchOutsideAllowlist } from './signin-outside-allowlist.js';
import { allowlistFor, allowlistOk, FULL_ACCESS_AS_APP, inventoryApp, MIMECAST_RANGES, signIn, withApps } from './testing.js';

const ID = 'signin-cert-outside-allowlist';

const mailboxVendor = { ...withApps(inventoryApp({ mailboxPermissions: [FULL_ACCESS_AS_APP] })), ...allowlistFor(allowlistOk(MIMECAST_RANGES, 'Mimecast')) };
const plainVendor = { ...withApps(inventoryApp()), ...allowlistFor(allowlistOk(MIMECAST_RANGES, 'Mimecast')) };

/** The 2021 Mimecast attack: a vendor's certificate used from a network that is not the vendor's. */
export const signinCertOutsideAllowlist = defineRule({
  id: ID,
  title: 'Vendor certificate used outside its allowed networks',
  description:
    'Detects a service-principal sign-in authenticated with a certificate (or client assertion) from an IP address outside the ranges allowed for the app\'s vendor, the pattern of the 2021 Mimecast certificate theft. Critical when the app holds an application mailbox permission that reaches every mailbox and the sign-in succeeded; failed attempts are one level lower. A sign-in without a usable IP address also fires.',
  severity: 'critical',
  mitre: ['T1550.001', 'T1078.004', 'T1114.002'],
  falsePositives: [
    'The vendor added a data centre or cloud region and the allowlist source has not caught up (check whether the allowlist is marked stale and compare with the vendor\'s published ranges).',
    'The vendor routes through a new egress provider or IPv6 range.',
    'Sign-in logs without an IP address (rare service-side sign-ins) cannot be attributed to the vendor.',
  ],
  runbook: [
    'Contact the vendor\'s security team with the sign-in id, time, IP, ASN and certificate key id; ask whether the address is theirs and whether their certificate may be compromised.',
    'In Exchange Online, search the unified audit log for MailItemsAccessed with the app id (Search-UnifiedAuditLog -Operations MailItemsAccessed, AppId) around the sign-in time to see which mailboxes were read.',
    'If the vendor does not confirm the address, disable the service principal (Update-MgServicePrincipal -AccountEnabled:$false) or remove its full_access_as_app app role assignment; this stops the vendor\'s service too, so agree it with the service owner.',
    'Limit the app to the mailboxes it needs with an Exchange Application Access Policy or RBAC for Applications.',
    'Have the vendor rotate the certificate; confirm the new key id in later sign-ins and that the old one stops appearing.',
    'If the address is the vendor\'s, add the range to the allowlist source (with provenance) so the next sign-in matches.',
  ],
  status: 'stable',
  input: 'signIn',
  match: ({ event }, context) => (isCertificateLike(event.credentialType) ? matchOutsideAllowlist(ID, 'certificate', event, context) : NO_FINDINGS),
  cases: [
    { name: 'mailbox-wide vendor app, successful sign-in from outside the ranges', input: signIn(), context: mailboxVendor, expect: ['critical'] },
    { name: 'failed attempt from outside is one level lower', input: signIn({ success: false, errorCode: 7000215 }), context: mailboxVendor, expect: ['high'] },
    { name: 'app without mailbox-wide access is high', input: signIn(), context: plainVendor, expect: ['high'] },
    { name: 'app without mailbox-wide access, failed attempt', input: signIn({ success: false, errorCode: 7000215 }), context: plainVendor, expect: ['medium'] },
    { name: 'client assertion counts as a certificate', input: signIn({ credentialType: 'clientAssertion' }), context: mailboxVendor, expect: ['critical'] },
    { name: 'IPv6 outside the vendor /48', input: signIn({ ipAddress: '2001:db8:5::7', asn: undefined }), context: mailboxVendor, expect: ['critical'] },
    { name: 'missing IP still fires', input: signIn({ ipAddress: undefined, rawIpAddress: undefined }), context: mailboxVendor, expect: ['critical'] },
    { name: 'unparseable IP still fires', input: signIn({ ipAddress: undefined, rawIpAddress: '203.0.113.x' }), context: mailboxVendor, expect: ['critical'] },
    { name: 'inventory does not know the app: high, not critical', input: signIn(), context: allowlistFor(allowlistOk(MIMECAST_RANGES, 'Mimecast')), expect: ['high'] },
    { name: 'IPv4 inside the vendor range', input: signIn({ ipAddress: '205.139.110.25' }), context: mailboxVendor, expect: [] },
    { name: 'IPv6 inside the vendor /48', input: signIn({ ipAddress: '2a01:111:f400:1::25' }), context: mailboxVendor, expect: [] },
    { name: 'IPv4-mapped IPv6 inside the IPv4 range', input: signIn({ ipAddress: '::ffff:205.139.110.25' }), context: mailboxVendor, expect: [] },
    { name: 'allowlist unknown: silent here, the scan reports the allowlist', input: signIn(), context: { ...withApps(inventoryApp({ mailboxPermissions: [FULL_ACCESS_AS_APP] })), allowlist: () => ({ status: 'unknown', vendor: 'Mimecast', reason: 'source unreachable' }) }, expect: [] },
    { name: 'no allowlist: another rule\'s job', input: signIn(), context: withApps(inventoryApp({ mailboxPermissions: [FULL_ACCESS_AS_APP] })), expect: [] },
    { name: 'client secret: the secret rule\'s job', input: signIn({ credentialType: 'clientSecret' }), context: mailboxVendor, expect: [] },
  ],
});
