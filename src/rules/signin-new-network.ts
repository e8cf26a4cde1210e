import { defineRule, NO_FINDINGS } from './define.js';
import { describeOrigin, isMailboxCapable, mailboxPermissionNames, outcomeClause, severityForOutcome } from './facts.js';
import { signInFinding } from './findings.js';
import type { RuleContext } from './types.js';

const ID = 'signin-new-network';

/** How long an app's networks are learned before a new one is worth an alert. */
export const LEARNING_PERIOD_IN_DAYS = 7;
const LEARNING_PERIOD_IN_MS = LEARNING_PERIOD_IN_DAYS * 86_400_000;

/** The fallback for privileged apps nobody wrote an allowlist for: "this app never came from there". */
export const signinNewNetwork = defineRule({
  id: ID,
  title: 'Mailbox-capable app signed in from a new network',
  description: `Detects a sign-in by a mailbox-capable app that has no allowlist from a network (ASN, else IPv4 /24 or IPv6 /48) not seen for that app during a ${LEARNING_PERIOD_IN_DAYS}-day learning period. Failed attempts are one level lower; an unknown outcome is not.`,
  severity: 'medium',
  mitre: ['T1078.004', 'T1550.001'],
  falsePositives: [
    'The vendor or app moved to a new hosting provider, region or IPv6 range.',
    'Traffic seen only rarely (monthly jobs) may not have appeared during the learning period.',
    'Sign-ins without an IP address or ASN cannot be placed on a network and are not evaluated.',
  ],
  runbook: [
    'Ask the app owner or vendor whether the network (ASN and address in the alert) is theirs.',
    'If it is, nothing to do: the network is learned. Better: ask the vendor for its published ranges and configure an allowlist, which turns this into the stricter outside-allowlist check.',
    'If it is not, treat it like a stolen credential: search MailItemsAccessed for the app id, disable the service principal (accountEnabled=false) or remove its mailbox permission, and rotate its credentials.',
  ],
  status: 'experimental',
  family: ID,
  finding: 'event',
  input: 'signIn',
  match({ event }, context) {
    const app = context.app(event.appId);
    if (!isMailboxCapable(app)) return NO_FINDINGS;
    // An allowlist ('ok' or even 'unknown') is the stronger check; learning would second-guess it.
    if (context.allowlist(app, event.appId).status !== 'none') return NO_FINDINGS;
    const learned = context.learnedNetworks(event.appId);
    if (learned === undefined || event.createdAt.getTime() - learned.learningSince.getTime() < LEARNING_PERIOD_IN_MS) return NO_FINDINGS;
    const network = context.networkKey(event.ipAddress, event.asn);
    if (network === undefined || learned.networks.has(network)) return NO_FINDINGS;
    return [
      signInFinding(ID, severityForOutcome('medium', event), event, app, context, {
        summary: `"${app?.displayName ?? event.appId}" (${mailboxPermissionNames(app)}) signed in from ${describeOrigin(event)}, a network not seen since learning began on ${learned.learningSince.toISOString().slice(0, 10)}${outcomeClause(event)}`,
        details: { learnedNetworkCount: learned.networks.size, learningSince: learned.learningSince.toISOString(), credentialType: event.credentialType },
      }),
    ];
  },
  cases: (t) => {
    const mailboxApp = t.withApps(t.inventoryApp({ mailboxPermissions: [t.FULL_ACCESS_AS_APP] }));
    const learnedSince = (days: number): Pick<RuleContext, 'learnedNetworks'> => ({
      learnedNetworks: () => ({ networks: new Set(['AS8075', '205.139.110.0/24', '2a01:111:f400::/48']), learningSince: t.daysFromNow(-days) }),
    });
    return [
      { name: 'new ASN after the learning period', input: t.signIn(), context: { ...mailboxApp, ...learnedSince(30) }, expect: ['medium'] },
      {
        name: 'failed attempt from a new network is lower',
        input: t.signIn({ outcome: 'failure', errorCode: 7000215 }),
        context: { ...mailboxApp, ...learnedSince(30) },
        expect: ['low'],
      },
      {
        name: 'new IPv6 /48 when no ASN is logged',
        input: t.signIn({ asn: undefined, ipAddress: '2001:db8:5::7' }),
        context: { ...mailboxApp, ...learnedSince(30) },
        expect: ['medium'],
      },
      {
        name: 'delegated mail access counts as mailbox-capable',
        input: t.signIn(),
        context: { ...t.withApps(t.inventoryApp({ mailboxPermissions: [t.DELEGATED_MAIL_READ] })), ...learnedSince(30) },
        expect: ['medium'],
      },
      { name: 'known ASN', input: t.signIn({ asn: 8075 }), context: { ...mailboxApp, ...learnedSince(30) }, expect: [] },
      {
        name: 'known /24 when no ASN is logged',
        input: t.signIn({ asn: undefined, ipAddress: '205.139.110.77' }),
        context: { ...mailboxApp, ...learnedSince(30) },
        expect: [],
      },
      {
        name: 'IPv4-mapped IPv6 in a known /24',
        input: t.signIn({ asn: undefined, ipAddress: '::ffff:205.139.110.77' }),
        context: { ...mailboxApp, ...learnedSince(30) },
        expect: [],
      },
      { name: 'still learning (6 days)', input: t.signIn(), context: { ...mailboxApp, ...learnedSince(6) }, expect: [] },
      { name: 'nothing learned yet', input: t.signIn(), context: mailboxApp, expect: [] },
      {
        name: 'app has an allowlist',
        input: t.signIn(),
        context: { ...mailboxApp, ...learnedSince(30), ...t.allowlistFor(t.allowlistOk(t.MIMECAST_RANGES, 'Mimecast')) },
        expect: [],
      },
      { name: 'app cannot read mailboxes', input: t.signIn(), context: { ...t.withApps(t.inventoryApp()), ...learnedSince(30) }, expect: [] },
      { name: 'no IP and no ASN', input: t.signIn({ asn: undefined, ipAddress: undefined }), context: { ...mailboxApp, ...learnedSince(30) }, expect: [] },
      {
        name: 'unknown outcome from a new network keeps the full severity',
        input: t.signIn({ outcome: 'unknown', errorCode: undefined }),
        context: { ...mailboxApp, ...learnedSince(30) },
        expect: ['medium'],
      },
    ];
  },
});
