import { isCertificateLike } from '../events.js';
import type { InventoryApp, SignInEvent } from '../events.js';
import { defineRule, NO_FINDINGS } from './define.js';
import { describeOrigin, hasCredential, keyIdOf, outcomeClause, sameKeyId, severityForOutcome } from './facts.js';
import { signInFinding } from './findings.js';
import type { RuleContext } from './types.js';

const ID = 'signin-unknown-credential';

type Reason = 'keyNotInInventory' | 'secretOnCertificateOnlyApp';

function onlyCertificates(app: InventoryApp): boolean {
  for (const c of app.credentials) if (c.kind !== 'certificate') return false;
  return true;
}

// A credential added after the inventory was read is not unknown: credential-added-then-used owns it.
function addedRecently(context: RuleContext, appId: string, keyId: string): boolean {
  for (const add of context.recentCredentialAdds(appId)) if (add.keyId !== undefined && sameKeyId(add.keyId, keyId)) return true;
  return false;
}

function reasonFor(event: SignInEvent, app: InventoryApp, context: RuleContext): Reason | undefined {
  const keyId = keyIdOf(event);
  if (keyId !== undefined && !hasCredential(app, keyId) && !addedRecently(context, event.appId, keyId)) return 'keyNotInInventory';
  if (event.credentialType === 'clientSecret' && onlyCertificates(app)) return 'secretOnCertificateOnlyApp';
  return undefined;
}

const SUMMARY: Readonly<Record<Reason, string>> = {
  keyNotInInventory: 'signed in with a credential that is not (or no longer) on the app',
  secretOnCertificateOnlyApp: 'signed in with a client secret although the app shows only certificates',
};

/** A credential the directory does not show: removed, hidden elsewhere, or forged into the log's view. */
export const signinUnknownCredential = defineRule({
  id: ID,
  title: 'Sign-in with a credential the inventory does not show',
  description:
    "Detects a service-principal sign-in whose credential key id is not (or no longer) among the app's credentials in the inventory, or a client-secret sign-in by an app whose visible credentials are all certificates. Apps whose credentials are not visible here (multi-tenant vendor apps keep them in the vendor's tenant) are skipped. Failed attempts are one level lower; an unknown outcome is not.",
  severity: 'high',
  mitre: ['T1098.001', 'T1078.004'],
  falsePositives: [
    'A credential removed minutes before the sign-in: the token service can still accept it briefly, and the inventory already dropped it.',
    "An app that also has credentials on its service principal that the inventory could not read (check the scan's collection health).",
  ],
  runbook: [
    "Look up the key id under the app's Certificates & secrets and under the service principal (Get-MgServicePrincipal -ServicePrincipalId … -Property keyCredentials,passwordCredentials); a key only on the service principal is a classic persistence spot.",
    'Check the directory audit log for "Certificates and secrets management" and "Add service principal credentials" on the app in the last 30 days, and who did it.',
    'If nobody can account for the credential, remove it, disable the service principal (accountEnabled=false) and review what the app accessed (MailItemsAccessed for mailbox apps).',
    'Rotate the remaining credentials of the app.',
  ],
  status: 'stable',
  family: ID,
  finding: 'event',
  input: 'signIn',
  match({ event }, context) {
    if (!isCertificateLike(event.credentialType) && event.credentialType !== 'clientSecret') return NO_FINDINGS;
    const app = context.app(event.appId);
    // No visible credentials means "cannot see" (a vendor's live in the vendor's tenant), not "none".
    if (app === undefined || app.credentials.length === 0) return NO_FINDINGS;
    const reason = reasonFor(event, app, context);
    if (reason === undefined) return NO_FINDINGS;
    return [
      signInFinding(ID, severityForOutcome('high', event), event, app, context, {
        summary: `"${app.displayName}" ${SUMMARY[reason]} (key id ${keyIdOf(event) ?? 'not logged'}) from ${describeOrigin(event)}${outcomeClause(event)}`,
        details: { reason, credentialType: event.credentialType, knownKeyIds: app.credentials.map((c) => c.keyId).join(', '), ownership: app.ownership },
      }),
    ];
  },
  cases: ({ credential, minutesFromNow, NEW_KEY_ID, OWN_APP_ID, OWN_KEY_ID, ownApp, signIn, VENDOR_KEY_ID, withApps }) => [
    { name: 'key id not on the app', input: signIn({ appId: OWN_APP_ID, credentialKeyId: NEW_KEY_ID }), context: withApps(ownApp()), expect: ['high'] },
    {
      name: 'failed attempt with a removed key is lower',
      input: signIn({ appId: OWN_APP_ID, credentialKeyId: NEW_KEY_ID, outcome: 'failure', errorCode: 7000222 }),
      context: withApps(ownApp()),
      expect: ['medium'],
    },
    {
      name: 'certificate-only app signs in with a secret (key id not logged)',
      input: signIn({ appId: OWN_APP_ID, credentialType: 'clientSecret', credentialKeyId: undefined }),
      context: withApps(ownApp()),
      expect: ['high'],
    },
    { name: 'key id on the app', input: signIn({ appId: OWN_APP_ID, credentialKeyId: OWN_KEY_ID }), context: withApps(ownApp()), expect: [] },
    {
      name: 'key id differs only in letter case',
      input: signIn({ appId: OWN_APP_ID, credentialKeyId: OWN_KEY_ID.toUpperCase() }),
      context: withApps(ownApp()),
      expect: [],
    },
    { name: 'empty key id skips the key check', input: signIn({ appId: OWN_APP_ID, credentialKeyId: '' }), context: withApps(ownApp()), expect: [] },
    { name: 'vendor app with no visible credentials is skipped', input: signIn({ credentialKeyId: VENDOR_KEY_ID }), context: withApps(ownApp()), expect: [] },
    {
      name: 'a secret the app does have',
      input: signIn({ appId: OWN_APP_ID, credentialType: 'clientSecret', credentialKeyId: NEW_KEY_ID }),
      context: withApps(ownApp({ credentials: [credential(), credential({ keyId: NEW_KEY_ID, kind: 'secret' })] })),
      expect: [],
    },
    {
      name: 'key added after the inventory was read',
      input: signIn({ appId: OWN_APP_ID, credentialKeyId: NEW_KEY_ID }),
      context: { ...withApps(ownApp()), recentCredentialAdds: () => [{ keyId: NEW_KEY_ID, at: minutesFromNow(-70), eventId: 'audit-1' }] },
      expect: [],
    },
    {
      name: 'managed identity sign-ins are not about app credentials',
      input: signIn({ appId: OWN_APP_ID, credentialType: 'managedIdentity', credentialKeyId: NEW_KEY_ID }),
      context: withApps(ownApp()),
      expect: [],
    },
  ],
});
