import { defineRule } from './define.js';
import { matchOutsideAllowlist, outsideAllowlistContexts } from './signin-outside-allowlist.js';

const ID = 'signin-other-credential-outside-allowlist';

/**
 * The catch-all that makes "every sign-in of an app with an allowlist is judged" true: the network
 * is the evidence, so a log that names no credential, or one credwatch does not know, must not
 * silence the Mimecast pattern. Values from the signIn resource page
 * (https://learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta).
 */
export const signinOtherCredentialOutsideAllowlist = defineRule({
  id: ID,
  title: 'App signed in outside its allowed networks with another or unrecorded credential type',
  description:
    'Detects a service-principal sign-in from an IP address outside the ranges allowed for the app\'s vendor whose credential type is none of certificate, client assertion, client secret or federated credential: clientCredentialType "none", "unknownFutureValue", a value the signIn resource does not document (shown as logged), no value or "" (shown as "not recorded"), or "managedIdentity" on an app the inventory does not show as a managed identity. A sign-in of a service principal the inventory shows as a managed identity is not judged: it belongs to an Azure resource of the customer\'s own, with no credential to replay elsewhere. Critical when the app holds an application mailbox permission that reaches every mailbox and the sign-in succeeded or its outcome is unknown; high otherwise. A failed attempt is one level lower, and so is a sign-in without a usable IP address (the finding says so).',
  severity: 'critical',
  mitre: ['T1078.004', 'T1550.001', 'T1114.002'],
  falsePositives: [
    'The vendor added a data centre or cloud region and the allowlist source has not caught up (check whether the allowlist is marked stale).',
    "Microsoft logs a new credential type (unknownFutureValue, or a value not documented yet) for the vendor's ordinary sign-ins: the address is still what matters, so confirm it with the vendor.",
    "A managed identity whose service principal the inventory could not read (check the scan's collection health) is judged here until the inventory shows it.",
  ],
  runbook: [
    'Open the sign-in in the Entra admin center (Sign-in logs > Service principal sign-ins, by the sign-in or correlation id) and read what it shows about the credential: key id, thumbprint, federated credential id, managed identity.',
    'Contact the app owner or vendor with the sign-in id, time, IP, ASN and the credential type the alert names; ask whether the address is theirs.',
    'Search the unified audit log for MailItemsAccessed with the app id around the sign-in time to see which mailboxes were read.',
    'If the address is not confirmed, disable the service principal (accountEnabled=false) or remove its mailbox permission, and rotate every credential of the app: with the type unknown, any of them may be the one used.',
    'If the type is undocumented or unknownFutureValue, check the signIn resource page for new clientCredentialType values.',
    'If the address is legitimate, add the range to the allowlist source so the next sign-in matches.',
  ],
  status: 'stable',
  family: ID,
  finding: 'event',
  input: 'signIn',
  match: ({ event }, context) => matchOutsideAllowlist(ID, 'other', event, context),
  cases: (t) => {
    const { mailboxVendor, plainVendor, unknownAllowlist, noAllowlist } = outsideAllowlistContexts(t);
    const managedIdentity = t.inventoryApp({
      ownership: 'own',
      servicePrincipalType: 'ManagedIdentity',
      appOwnerOrganizationId: undefined,
      mailboxPermissions: [t.FULL_ACCESS_AS_APP],
    });
    return [
      {
        name: 'type "none" from outside on a mailbox-wide vendor app',
        input: t.signIn({ credentialType: 'none' }),
        context: mailboxVendor,
        expect: ['critical'],
      },
      {
        name: 'type "unknownFutureValue" from outside',
        input: t.signIn({ credentialType: 'unknownFutureValue' }),
        context: mailboxVendor,
        expect: ['critical'],
      },
      {
        name: 'an undocumented type from outside',
        input: t.signIn({ credentialType: 'unrecognized', rawCredentialType: 'passkeyAssertion' }),
        context: mailboxVendor,
        expect: ['critical'],
      },
      {
        name: 'no type recorded ("" or absent) from outside',
        input: t.signIn({ credentialType: 'notRecorded', credentialKeyId: undefined }),
        context: mailboxVendor,
        expect: ['critical'],
      },
      {
        name: 'no type recorded on an app without mailbox-wide access is high',
        input: t.signIn({ credentialType: 'notRecorded' }),
        context: plainVendor,
        expect: ['high'],
      },
      {
        name: 'managedIdentity claimed by a vendor app the inventory shows as an application',
        input: t.signIn({ credentialType: 'managedIdentity' }),
        context: mailboxVendor,
        expect: ['critical'],
      },
      {
        name: 'failed attempt with type "none" is one level lower',
        input: t.signIn({ credentialType: 'none', outcome: 'failure', errorCode: 7000215 }),
        context: mailboxVendor,
        expect: ['high'],
      },
      {
        name: 'no type and no IP: one level lower',
        input: t.signIn({ credentialType: 'notRecorded', ipAddress: undefined }),
        context: plainVendor,
        expect: ['medium'],
      },
      {
        name: "a managed identity the inventory confirms is the customer's own resource",
        input: t.signIn({ credentialType: 'managedIdentity' }),
        context: { ...mailboxVendor, ...t.withApps(managedIdentity) },
        expect: [],
      },
      {
        name: 'type "none" inside the vendor range',
        input: t.signIn({ credentialType: 'none', ipAddress: '205.139.110.25' }),
        context: mailboxVendor,
        expect: [],
      },
      {
        name: 'allowlist unknown: silent here, the scan reports the allowlist',
        input: t.signIn({ credentialType: 'notRecorded' }),
        context: unknownAllowlist,
        expect: [],
      },
      { name: "no allowlist: another rule's job", input: t.signIn({ credentialType: 'none' }), context: noAllowlist, expect: [] },
      { name: "certificate: the certificate rule's job", input: t.signIn(), context: mailboxVendor, expect: [] },
    ];
  },
});
