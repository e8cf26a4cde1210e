/**
 * An alert's subject: what, besides rule family, app, credential and network, makes a finding a
 * matter of its own. A grant of full_access_as_app after IMAP.AccessAsApp to the same app is a
 * wider way into mailboxes, not one more occurrence of the first grant; folded into the first
 * grant's alert it would add no IP, network, resource or success and so notify nobody until the
 * repeat interval (never, with repeats off). Keying alerts on the permission makes every new
 * permission a new alert, notified at once, the way the credential key id already does for
 * credentials (docs/alerts.md, "The alert schema", `alertId`).
 *
 * Rules name their subject with `ALERT_SUBJECT_DETAIL` from the contract module (src/contract.ts),
 * so they need not import alerts/ (which reads the rule catalogue).
 */
import type { Finding } from '../events.js';
import type { StoredAlert } from '../state/types.js';

import { ALERT_SUBJECT_DETAIL } from '../contract.js';

export { ALERT_SUBJECT_DETAIL } from '../contract.js';

/**
 * The finding's subject, as the alert key uses it; undefined when the rule names none. Lower-cased:
 * permission names are logged by the audit log and read from the inventory, and one grant seen both
 * ways must give one alert even if the two spell the name differently.
 */
export function alertSubjectOf(finding: Finding): string | undefined {
  const value = finding.details[ALERT_SUBJECT_DETAIL];
  return typeof value === 'string' && value !== '' ? value.toLowerCase() : undefined;
}

/**
 * Whether an alert stored before subjects were part of the key (its id hashes no subject) already
 * holds this finding's subject, so the finding continues it instead of opening a second alert for
 * the same grant after an upgrade. Only positive evidence counts, so in doubt the finding gets an
 * alert of its own (one notification too many, never a wider grant merged away): the alert holds
 * one of the finding's events (the same row read again), or its summary — that of its latest
 * finding — names the subject among the permissions it lists before ` granted to "`. Only that
 * part is read: what follows is the app's name, which an attacker chooses.
 */
export function legacyAlertHolds(alert: StoredAlert, finding: Finding, subject: string): boolean {
  if (finding.eventIds.some((id) => alert.eventIds.includes(id))) return true;
  const cut = alert.summary.indexOf(' granted to "');
  if (cut < 0) return false;
  return alert.summary
    .slice(0, cut)
    .split(/[\s,()]+/)
    .some((word) => word.toLowerCase() === subject);
}
