/**
 * The detection catalogue. Order is the documentation's order: sign-ins (the Mimecast pattern
 * first, one outside-allowlist rule per credential meaning), changes, posture, then credwatch's own
 * health. Ids are never reused; retired rules stay here as `deprecated`, so stored alerts,
 * suppressions and the documentation that name them keep resolving.
 */
import { collectionFailing } from './collection-failing.js';
import { credentialAdded } from './credential-added.js';
import { credentialAddedDiff } from './credential-added-diff.js';
import { credentialAddedThenUsed } from './credential-added-then-used.js';
import { mailboxPermissionGranted } from './mailbox-permission-granted.js';
import { mailboxPermissionGrantedDiff } from './mailbox-permission-granted-diff.js';
import { postureCredentialExpired } from './posture-credential-expired.js';
import { postureCredentialExpiring } from './posture-credential-expiring.js';
import { postureCredentialLongLived } from './posture-credential-long-lived.js';
import { postureCredentialOnThirdPartySp } from './posture-credential-on-third-party-sp.js';
import { postureMailboxAppWithoutAllowlist } from './posture-mailbox-app-without-allowlist.js';
import { postureSecretOnMailboxApp } from './posture-secret-on-mailbox-app.js';
import { postureSharedCertificate } from './posture-shared-certificate.js';
import { postureWeakCertificate } from './posture-weak-certificate.js';
import { signinCertOutsideAllowlist } from './signin-cert-outside-allowlist.js';
import { signinFederatedOutsideAllowlist } from './signin-federated-outside-allowlist.js';
import { signinNewNetwork } from './signin-new-network.js';
import { signinOtherCredentialOutsideAllowlist } from './signin-other-credential-outside-allowlist.js';
import { signinSecretOutsideAllowlist } from './signin-secret-outside-allowlist.js';
import { signinUnknownCredential } from './signin-unknown-credential.js';
import type { Rule } from './types.js';

export const RULES: readonly Rule[] = Object.freeze([
  signinCertOutsideAllowlist,
  signinSecretOutsideAllowlist,
  signinFederatedOutsideAllowlist,
  signinOtherCredentialOutsideAllowlist,
  signinUnknownCredential,
  signinNewNetwork,
  credentialAddedThenUsed,
  credentialAdded,
  credentialAddedDiff,
  mailboxPermissionGranted,
  mailboxPermissionGrantedDiff,
  postureCredentialOnThirdPartySp,
  postureMailboxAppWithoutAllowlist,
  postureWeakCertificate,
  postureSecretOnMailboxApp,
  postureSharedCertificate,
  postureCredentialLongLived,
  postureCredentialExpiring,
  postureCredentialExpired,
  collectionFailing,
]);

const BY_ID: ReadonlyMap<string, Rule> = new Map(RULES.map((rule) => [rule.id, rule]));

/** The catalogue entry for a rule id (deprecated ones included); undefined for an id it never had. */
export function ruleById(id: string): Rule | undefined {
  return BY_ID.get(id);
}

export { ADDED_THEN_USED_WINDOW_IN_MINUTES } from './credential-added-then-used.js';
export { LEARNING_PERIOD_IN_DAYS } from './signin-new-network.js';
export { networkKey } from './network-key.js';
export type { RuleCaseKit } from './case-kit.js';
export type {
  AllowlistView,
  CollectionHealth,
  CollectionSource,
  InventoryChange,
  Rule,
  RuleCase,
  RuleCases,
  RuleContext,
  RuleInput,
  RuleInputType,
  RuleMeta,
} from './types.js';
