/**
 * What `mailbox-permission-granted` (audit log) and `mailbox-permission-granted-diff` (inventory
 * diff) share: one grant, seen two ways, two catalogue entries because a rule reads one input type.
 */
import type { RuleMeta } from './types.js';

export const MAILBOX_PERMISSION_META: Pick<RuleMeta, 'severity' | 'mitre' | 'falsePositives' | 'runbook' | 'status'> = {
  severity: 'high',
  mitre: ['T1098.003', 'T1528', 'T1114.002'],
  falsePositives: [
    'A planned onboarding of a backup, archiving, e-discovery or mail-security product (check the change ticket).',
    'A user consenting to a well-known app for their own mailbox (delegated, per-user consent).',
  ],
  runbook: [
    "Confirm the grant with whoever initiated it and with the app's business owner; for an unfamiliar app, check its publisher verification and reply URLs in Enterprise applications.",
    'If the grant is not expected, remove it: delete the app role assignment (Remove-MgServicePrincipalAppRoleAssignedTo) or the delegated grant (Remove-MgOauth2PermissionGrant), and disable the service principal (accountEnabled=false) while investigating.',
    'If the grant is expected and is full_access_as_app or a Graph Mail.* application role, scope it to the mailboxes the product needs with an Exchange Application Access Policy or RBAC for Applications.',
    "Configure an allowlist for the vendor's published ranges so a stolen vendor credential is noticed (signin-cert-outside-allowlist).",
    "If the consent looks like consent phishing, search MailItemsAccessed for the app id and review the consenting user's account.",
  ],
  status: 'stable',
};
