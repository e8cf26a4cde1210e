/**
 * What changed since last week's report: new and removed credentials, new mailbox grants, new
 * apps. Compared with the inventory the previous report kept in its JSON, so the week-over-week
 * view needs no inventory history in the store and survives a store that was rebuilt.
 */
import { allCredentials, credentialKey, grantLabel } from './inventory-rows.js';
import type { ChangesStatus, InventorySection, WeeklyReport } from './types.js';

/** Inventory sources whose failure makes the mailbox grants of that week incomplete. */
const GRANT_SOURCES = /^(appRoleAssignedTo:|oauth2PermissionGrants$)/;

/** Grant sources of that inventory that were not read completely. */
export function grantsIncomplete(section: InventorySection): string[] {
  return section.sources.filter((s) => GRANT_SOURCES.test(s.source) && s.status !== 'complete').map((s) => s.source);
}

export function buildChanges(
  previous: WeeklyReport | undefined,
  current: InventorySection | null,
): { changes: WeeklyReport['changes']; changesStatus: ChangesStatus } {
  if (!previous) return { changes: null, changesStatus: 'firstReport' };
  if (!current) return { changes: null, changesStatus: 'noInventory' };
  const before = previous.inventory;
  if (!before) return { changes: null, changesStatus: 'previousWithoutInventory' };

  const knownApps = new Set([...before.apps.map((a) => a.appId), ...before.otherAppIds].map((id) => id.toLowerCase()));
  const newApps = current.apps.filter((a) => !knownApps.has(a.appId.toLowerCase())).map((a) => ({ appId: a.appId, displayName: a.displayName }));

  const oldCredentials = new Set(allCredentials(before).map(credentialKey));
  const nowCredentials = new Set(allCredentials(current).map(credentialKey));
  const newCredentials = allCredentials(current).filter((c) => !oldCredentials.has(credentialKey(c)));
  const removedCredentials = allCredentials(before).filter((c) => !nowCredentials.has(credentialKey(c)));

  const notes: string[] = [];
  const incomplete = [...grantsIncomplete(before).map((s) => `${s} (week ${previous.week})`), ...grantsIncomplete(current).map((s) => `${s} (this week)`)];
  const newGrants: Array<{ appId: string; displayName: string; permission: string }> = [];
  if (incomplete.length > 0) {
    // A grant missing from an incomplete read would show up as "new" the week after: say unknown instead.
    notes.push(`New mailbox grants could not be compared because these sources were not read completely: ${incomplete.join(', ')}.`);
  } else {
    const oldGrants = new Map(before.apps.map((a) => [a.appId.toLowerCase(), new Set(a.mailboxPermissions.map(grantLabel))]));
    for (const app of current.apps) {
      const had = oldGrants.get(app.appId.toLowerCase());
      for (const p of app.mailboxPermissions) {
        const label = grantLabel(p);
        if (!had?.has(label)) newGrants.push({ appId: app.appId, displayName: app.displayName, permission: label });
      }
    }
  }
  return { changes: { since: previous.week, newCredentials, removedCredentials, newGrants, newApps, notes }, changesStatus: 'compared' };
}
