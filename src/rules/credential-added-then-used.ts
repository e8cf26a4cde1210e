import type { InventoryApp, SignInEvent } from '../events.js';
import { defineRule, NO_FINDINGS } from './define.js';
import { describeOrigin, keyIdOf, sameKeyId, severityForOutcome, usesAppCredential } from './facts.js';
import { signInFinding } from './findings.js';
import type { RuleContext } from './types.js';

const ID = 'credential-added-then-used';

/** How soon after an add a sign-in with it counts as "added and then used". */
export const ADDED_THEN_USED_WINDOW_IN_MINUTES = 30;
const WINDOW_IN_MS = ADDED_THEN_USED_WINDOW_IN_MINUTES * 60_000;

type RecentAdd = ReturnType<RuleContext['recentCredentialAdds']>[number];

/** The newest add this sign-in can be the first use of; with no key id logged, any add to the app. */
function addUsedBy(event: SignInEvent, context: RuleContext): RecentAdd | undefined {
  const keyId = keyIdOf(event);
  const at = event.createdAt.getTime();
  for (const add of context.recentCredentialAdds(event.appId)) {
    const delta = at - add.at.getTime();
    if (delta < 0 || delta > WINDOW_IN_MS) continue;
    if (keyId === undefined || (add.keyId !== undefined && sameKeyId(add.keyId, keyId))) return add;
  }
  return undefined;
}

/** Where the sign-in stands against the allowlist: outside is the worst version of this story. */
function allowlistVerdict(event: SignInEvent, app: InventoryApp | undefined, context: RuleContext): { outside: boolean | null; vendor: string | null } {
  const view = context.allowlist(app, event.appId);
  if (view.status !== 'ok') return { outside: null, vendor: view.status === 'unknown' ? view.vendor : null };
  const matched = event.ipAddress === undefined ? undefined : view.match(event.ipAddress);
  return { outside: matched === undefined || matched.length === 0, vendor: view.vendor };
}

/** Add a credential, sign in with it: the shape of an attacker's persistence, minutes apart. */
export const credentialAddedThenUsed = defineRule({
  id: ID,
  title: 'Credential added and used within minutes',
  description: `Detects a sign-in with a credential that was added to the app at most ${ADDED_THEN_USED_WINDOW_IN_MINUTES} minutes earlier (matched on key id; when the sign-in logs no key id, any credential added to the app in that window), especially from outside the app's allowed networks. Failed attempts are one level lower.`,
  severity: 'critical',
  mitre: ['T1098.001', 'T1078.004'],
  falsePositives: [
    "A planned rotation deployed right away by a pipeline (usually from the app's usual network, and announced).",
    'With no key id in the sign-in log, an ordinary sign-in with an older credential shortly after an unrelated add.',
  ],
  runbook: [
    "Find who added the credential (the linked audit event's initiatedBy) and confirm the rotation with them within the hour.",
    "If unconfirmed: remove the credential at once and disable the service principal (accountEnabled=false). App-only tokens already issued stay valid until they expire (about an hour), so keep watching the app's sign-ins and mailbox access.",
    'For a mailbox-capable app, search MailItemsAccessed for the app id since the add; export the results before they age out.',
    'Investigate the initiating account (sign-ins, MFA changes, role assignments) as likely compromised.',
  ],
  status: 'stable',
  family: ID,
  finding: 'event',
  input: 'signIn',
  match({ event }, context) {
    if (!usesAppCredential(event.credentialType)) return NO_FINDINGS;
    const add = addUsedBy(event, context);
    if (add === undefined) return NO_FINDINGS;
    const app = context.app(event.appId);
    const allowlist = allowlistVerdict(event, app, context);
    const minutes = Math.round((event.createdAt.getTime() - add.at.getTime()) / 60_000);
    const outside = allowlist.outside === true ? `, outside ${allowlist.vendor ?? 'the vendor'}'s allowed ranges` : '';
    return [
      signInFinding(ID, severityForOutcome('critical', event), event, app, context, {
        summary: `Credential added to "${app?.displayName ?? event.appDisplayName ?? event.appId}" was used ${minutes} min later from ${describeOrigin(event)}${outside}`,
        credentialKeyId: keyIdOf(event) ?? add.keyId,
        eventIds: [event.id, add.eventId],
        details: {
          minutesAfterAdd: minutes,
          addedAt: add.at.toISOString(),
          matchedOn: keyIdOf(event) === undefined ? 'app' : 'keyId',
          outsideAllowlist: allowlist.outside,
          allowlistVendor: allowlist.vendor,
        },
      }),
    ];
  },
  cases: ({ allowlistFor, allowlistOk, FULL_ACCESS_AS_APP, MIMECAST_RANGES, minutesFromNow, NEW_KEY_ID, OWN_APP_ID, ownApp, signIn, withApps }) => {
    const adds = (minutesAgo: number, keyId: string | undefined = NEW_KEY_ID): Pick<RuleContext, 'recentCredentialAdds'> => ({
      recentCredentialAdds: () => [{ keyId, at: minutesFromNow(minutesAgo), eventId: 'audit-1' }],
    });
    const used = (over: Partial<SignInEvent> = {}) => signIn({ appId: OWN_APP_ID, credentialKeyId: NEW_KEY_ID, createdAt: minutesFromNow(-50), ...over });
    const archiver = withApps(ownApp({ mailboxPermissions: [FULL_ACCESS_AS_APP] }));
    return [
      { name: 'key used 20 minutes after it was added', input: used(), context: { ...archiver, ...adds(-70) }, expect: ['critical'] },
      {
        name: 'used from outside the allowlist',
        input: used(),
        context: { ...archiver, ...adds(-70), ...allowlistFor(allowlistOk(MIMECAST_RANGES, 'Mimecast')) },
        expect: ['critical'],
      },
      { name: 'failed attempt is lower', input: used({ outcome: 'failure', errorCode: 7000215 }), context: { ...archiver, ...adds(-70) }, expect: ['high'] },
      {
        name: 'no key id logged: any add to the app counts',
        input: used({ credentialKeyId: '' }),
        context: { ...archiver, ...adds(-70, 'another-key') },
        expect: ['critical'],
      },
      { name: 'app unknown to the inventory still fires', input: used(), context: adds(-70), expect: ['critical'] },
      { name: 'used 31 minutes after the add', input: used(), context: { ...archiver, ...adds(-81) }, expect: [] },
      { name: 'sign-in before the add', input: used(), context: { ...archiver, ...adds(-40) }, expect: [] },
      { name: 'a different key was added', input: used(), context: { ...archiver, ...adds(-70, 'another-key') }, expect: [] },
      { name: 'nothing added recently', input: used(), context: archiver, expect: [] },
      {
        name: 'managed identity sign-in',
        input: used({ credentialType: 'managedIdentity', credentialKeyId: undefined }),
        context: { ...archiver, ...adds(-70) },
        expect: [],
      },
    ];
  },
});
