/**
 * What `credential-added` (audit log) and `credential-added-diff` (inventory diff) share. They are
 * two catalogue entries because a rule reads one input type; one event (an add) seen two ways.
 */
import type { InventoryApp, Severity } from '../events.js';
import { credentialLabel, isMailboxCapable } from './facts.js';
import type { RuleMeta } from './types.js';

/**
 * High when the app can read mailboxes or the credential sits on a service principal (where the
 * portal's Certificates & secrets blade does not show it — the Solorigate persistence spot).
 */
export function credentialAddedSeverity(app: InventoryApp | undefined, holder: 'application' | 'servicePrincipal'): Severity {
  return isMailboxCapable(app) || holder === 'servicePrincipal' ? 'high' : 'medium';
}

/** `Certificate added to the service principal of "X"`. */
export function credentialAddedSummary(kind: string, holder: 'application' | 'servicePrincipal', appName: string): string {
  const where = holder === 'servicePrincipal' ? `the service principal of "${appName}"` : `"${appName}"`;
  return `${credentialLabel(kind)} added to ${where}`;
}

export const CREDENTIAL_ADDED_META: Pick<RuleMeta, 'mitre' | 'falsePositives' | 'runbook' | 'status'> = {
  mitre: ['T1098.001'],
  falsePositives: [
    'Planned credential rotation by the app owner or a deployment pipeline (check who initiated it and whether a change ticket exists).',
    'Automation that creates short-lived secrets on purpose.',
  ],
  runbook: [
    'Identify who added the credential (initiatedBy in the directory audit log) and confirm it with them or with the app owner.',
    'For a credential on a service principal or on a third-party app: these are rarely legitimate. List them with Get-MgServicePrincipal -ServicePrincipalId … -Property keyCredentials,passwordCredentials.',
    "If the add is not explained, remove the credential (Remove-MgServicePrincipalKey / Remove-MgApplicationPassword or the Certificates & secrets blade) and review the app's sign-ins since the add (credential-added-then-used fires when it was used).",
    'For a mailbox-capable app, search MailItemsAccessed for the app id since the add; consider disabling the service principal (accountEnabled=false) while investigating.',
    'Review the initiating account for compromise (sign-ins, MFA methods, role assignments).',
  ],
  status: 'stable',
};
