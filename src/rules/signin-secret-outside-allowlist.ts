import { defineRule, NO_FINDINGS } from './define.js';
import { matchOutsideAllowlist } from './signin-outside-allowlist.js';
import { allowlistFor, allowlistOk, FULL_ACCESS_AS_APP, inventoryApp, MIMECAST_RANGES, signIn, withApps } from './testing.js';

const ID = 'signin-secret-outside-allowlist';

const mailboxVendor = { ...withApps(inventoryApp({ mailboxPermissions: [FULL_ACCESS_AS_APP] })), ...allowlistFor(allowlistOk(MIMECAST_RANGES, 'Mimecast')) };
const plainVendor = { ...withApps(inventoryApp()), ...allowlistFor(allowlistOk(MIMECAST_RANGES, 'Mimecast')) };
const secret = { credentialType: 'clientSecret' } as const;

/** The same pattern as the certificate rule, for client secrets (easier to leak: they sit in config files). */
export const signinSecretOutsideAllowlist = defineRule({
  id: ID,
  title: 'App client secret used outside its allowed networks',
  description:
    'Detects a service-principal sign-in authenticated with a client secret from an IP address outside the ranges allowed for the app\'s vendor. Critical when the app holds an application mailbox permission that reaches every mailbox and the sign-in succeeded; failed attempts are one level lower. A sign-in without a usable IP address also fires.',
  severity: 'critical',
  mitre: ['T1078.004', 'T1550.001', 'T1114.002'],
  falsePositives: [
    'The vendor added a data centre or cloud region and the allowlist source has not caught up (check whether the allowlist is marked stale).',
    'A developer or the vendor\'s support ran the app from a laptop with a copy of the secret (itself worth stopping).',
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
  input: 'signIn',
  match: ({ event }, context) => (event.credentialType === 'clientSecret' ? matchOutsideAllowlist(ID, 'secret', event, context) : NO_FINDINGS),
  cases: [
    { name: 'mailbox-wide app, successful secret sign-in from outside the ranges', input: signIn(secret), context: mailboxVendor, expect: ['critical'] },
    { name: 'failed attempt from outside is one level lower', input: signIn({ ...secret, success: false, errorCode: 7000215 }), context: mailboxVendor, expect: ['high'] },
    { name: 'app without mailbox-wide access is high', input: signIn(secret), context: plainVendor, expect: ['high'] },
    { name: 'IPv6 outside the vendor /48', input: signIn({ ...secret, ipAddress: '2001:db8:5::7' }), context: mailboxVendor, expect: ['critical'] },
    { name: 'missing IP still fires', input: signIn({ ...secret, ipAddress: undefined }), context: mailboxVendor, expect: ['critical'] },
    { name: 'IPv4 inside the vendor range', input: signIn({ ...secret, ipAddress: '205.139.110.25' }), context: mailboxVendor, expect: [] },
    { name: 'IPv4-mapped IPv6 inside the IPv4 range', input: signIn({ ...secret, ipAddress: '::ffff:205.139.110.25' }), context: mailboxVendor, expect: [] },
    { name: 'allowlist unknown: silent here, the scan reports the allowlist', input: signIn(secret), context: { ...withApps(inventoryApp()), allowlist: () => ({ status: 'unknown', vendor: 'Mimecast', reason: 'never fetched' }) }, expect: [] },
    { name: 'certificate: the certificate rule\'s job', input: signIn(), context: mailboxVendor, expect: [] },
  ],
});
