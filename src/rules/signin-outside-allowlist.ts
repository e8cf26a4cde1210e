/**
 * What the four outside-allowlist rules share: the Mimecast pattern itself, an app with allowed
 * networks signing in from somewhere else. Every sign-in of such an app is judged by exactly one of
 * them, chosen by what its credential type means (docs/rules.md):
 *
 * - `signin-cert-outside-allowlist`: `certificate`, `clientAssertion` (a JWT signed with the app's key);
 * - `signin-secret-outside-allowlist`: `clientSecret`;
 * - `signin-federated-outside-allowlist`: `federatedIdentityCredential`;
 * - `signin-other-credential-outside-allowlist`: `none`, `unknownFutureValue`, any undocumented
 *   value, no value at all, and `managedIdentity` on an app the inventory does not show as one.
 *
 * A `managedIdentity` sign-in of a service principal the inventory shows as a managed identity is
 * not judged: a managed identity belongs to an Azure resource in the customer's own subscription,
 * its token comes from that resource's local endpoint and there is no credential to copy and replay
 * elsewhere (https://learn.microsoft.com/entra/identity/managed-identities-azure-resources/overview),
 * so a vendor's ranges say nothing about it.
 */
import type { ClientCredentialType, Finding, InventoryApp, Severity, SignInEvent } from '../events.js';
import type { RuleCaseKit } from './case-kit.js';
import { NO_FINDINGS } from './define.js';
import { credentialTypeName, describeOrigin, hasMailboxWideAccess, mailboxReach, outcomeClause, severityForOutcome } from './facts.js';
import { signInFinding } from './findings.js';
import { lower, type RuleContext } from './types.js';

/** The credential meanings, one outside-allowlist rule each. */
export type CredentialMeaning = 'certificate' | 'secret' | 'federated' | 'other';

// A Record, so a credential type added to events.ts does not compile until it is given a rule.
const MEANING: Readonly<Record<ClientCredentialType, CredentialMeaning | 'managedIdentity'>> = {
  certificate: 'certificate',
  clientAssertion: 'certificate',
  clientSecret: 'secret',
  federatedIdentityCredential: 'federated',
  managedIdentity: 'managedIdentity',
  none: 'other',
  unknownFutureValue: 'other',
  unrecognized: 'other',
  notRecorded: 'other',
};

/** Which rule judges this sign-in; undefined only for a managed identity the inventory confirms. */
export function credentialMeaning(event: SignInEvent, app: InventoryApp | undefined): CredentialMeaning | undefined {
  const meaning = MEANING[event.credentialType];
  if (meaning !== 'managedIdentity') return meaning;
  // Claimed by the log but not confirmed by the directory: judged, never waved through.
  return app?.servicePrincipalType === 'ManagedIdentity' ? undefined : 'other';
}

/** How the summary names the credential, e.g. `certificate`, `credential of type "none"`. */
function credentialPhrase(meaning: CredentialMeaning, event: SignInEvent): string {
  switch (meaning) {
    case 'certificate':
      return event.credentialType === 'clientAssertion' ? 'certificate (client assertion)' : 'certificate';
    case 'secret':
      return 'client secret';
    case 'federated':
      return 'federated credential';
    case 'other':
      if (event.credentialType === 'managedIdentity') return 'credential of type "managedIdentity" (the inventory does not show a managed identity)';
      return event.credentialType === 'notRecorded' ? 'credential of unrecorded type' : `credential of type ${credentialTypeName(event)}`;
  }
}

/**
 * The severity: critical when the app reaches every mailbox, high otherwise; one level lower for a
 * failed attempt (an unknown outcome may have succeeded, so it is not lowered) and one level lower
 * when the log has no usable address (nothing places the sign-in outside, but nothing inside either).
 */
export function outsideAllowlistSeverity(app: InventoryApp | undefined, event: SignInEvent): Severity {
  const base = severityForOutcome(hasMailboxWideAccess(app) ? 'critical' : 'high', event);
  return event.ipAddress === undefined ? lower(base) : base;
}

const NO_ADDRESS_NOTE =
  "The sign-in log has no usable IP address, so nothing shows it came from the vendor's ranges; the severity is one level lower because nothing shows it came from elsewhere either.";

/** Findings for a sign-in judged by the rule for `meaning`; nothing for any other sign-in. */
export function matchOutsideAllowlist(ruleId: string, meaning: CredentialMeaning, event: SignInEvent, context: RuleContext): readonly Finding[] {
  const app = context.app(event.appId);
  if (credentialMeaning(event, app) !== meaning) return NO_FINDINGS;
  const allowlist = context.allowlist(app, event.appId);
  // 'none' is signin-new-network's territory. 'unknown' (source unreachable, never fetched) is
  // reported by the scan as a health problem: firing here would alert on every sign-in, staying
  // quiet without that report would look clean.
  if (allowlist.status !== 'ok') return NO_FINDINGS;
  const ip = event.ipAddress;
  if (ip !== undefined) {
    const matched = allowlist.match(ip);
    if (matched !== undefined && matched.length > 0) return NO_FINDINGS;
  }
  const phrase = credentialPhrase(meaning, event);
  const label = app?.ownership === 'thirdParty' ? `Vendor ${phrase}` : phrase.charAt(0).toUpperCase() + phrase.slice(1);
  const where =
    ip === undefined
      ? `not shown to be inside ${allowlist.vendor}'s allowed ranges (no usable IP address: one severity level lower)`
      : `outside ${allowlist.vendor}'s allowed ranges`;
  return [
    signInFinding(ruleId, outsideAllowlistSeverity(app, event), event, app, context, {
      summary: `${label} for "${app?.displayName ?? event.appDisplayName ?? event.appId}" used from ${describeOrigin(event)}, ${where}${outcomeClause(event)}`,
      allowlist: allowlist.sample,
      credentialKeyId: event.credentialKeyId ?? event.federatedCredentialId,
      details: {
        credentialType: event.credentialType,
        credentialTypeName: credentialTypeName(event),
        rawCredentialType: event.rawCredentialType ?? null,
        federatedCredentialId: event.federatedCredentialId ?? null,
        mailboxReach: mailboxReach(app),
        vendor: allowlist.vendor,
        allowlistStale: allowlist.stale,
        ipParsed: ip !== undefined,
        rawIpAddress: event.rawIpAddress ?? null,
        note: ip === undefined ? NO_ADDRESS_NOTE : null,
        errorCode: event.errorCode ?? null,
        failureReason: event.failureReason ?? null,
      },
    }),
  ];
}

/** The contexts every outside-allowlist rule's cases use: a mailbox-wide vendor, a plain one, no or an unreadable allowlist. */
export function outsideAllowlistContexts(t: RuleCaseKit): Record<'mailboxVendor' | 'plainVendor' | 'unknownAllowlist' | 'noAllowlist', Partial<RuleContext>> {
  const mimecast = t.allowlistFor(t.allowlistOk(t.MIMECAST_RANGES, 'Mimecast'));
  const mailboxApp = t.withApps(t.inventoryApp({ mailboxPermissions: [t.FULL_ACCESS_AS_APP] }));
  return {
    mailboxVendor: { ...mailboxApp, ...mimecast },
    plainVendor: { ...t.withApps(t.inventoryApp()), ...mimecast },
    unknownAllowlist: { ...mailboxApp, allowlist: () => ({ status: 'unknown', vendor: 'Mimecast', reason: 'source unreachable' }) },
    noAllowlist: mailboxApp,
  };
}
