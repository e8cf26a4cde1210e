/**
 * The inventory snapshot kept between scans, and the diff of two snapshots (docs/inventory.md).
 */
import type { AppCredential, Inventory, InventoryApp, InventoryChange } from '../events.js';
import { federatedKnown, reachFailed, type CollectedInventory } from './carryover.js';

// snapshotTakenAt: when a carried-over reach was read (carryover.ts).
const DATE_KEYS = new Set(['collectedAt', 'startDateTime', 'endDateTime', 'createdDateTime', 'grantedAt', 'notBefore', 'notAfter', 'snapshotTakenAt']);

/** The inventory as stored between runs (dates as ISO strings), with what it could not read. */
export function serializeInventory(inventory: Inventory): string {
  return JSON.stringify(inventory);
}

/** A stored inventory back, with its dates; `reachCarriedOver` and `federatedNotRead` when it had them. */
export function parseInventory(json: string): CollectedInventory {
  return JSON.parse(json, (key, value: unknown) => (DATE_KEYS.has(key) && typeof value === 'string' ? new Date(value) : value)) as CollectedInventory;
}

const credentialKey = (holder: string, keyId: string) => `${holder}:${keyId.toLowerCase()}`;
const permissionKey = (p: { permission: string; type: string }) => `${p.type}:${p.permission}`;

/**
 * What changed since the previous snapshot: the safety net for credential and permission changes
 * when audit data is missing, late or not licensed. The first run has no previous snapshot and
 * reports nothing (it is the baseline). What either side could not read is not compared: a
 * failed or carried-over mailbox reach, federated credentials not read (carryover.ts).
 */
export function diffInventories(previous: CollectedInventory | undefined, current: CollectedInventory): InventoryChange[] {
  if (!previous) return [];
  // A reach source that failed now or then would make every permission it covers look added.
  const comparable = !reachFailed(previous) && !reachFailed(current);
  const before = new Map(previous.apps.map((a) => [a.appId, a]));
  const changes: InventoryChange[] = [];
  for (const app of current.apps) {
    const old = before.get(app.appId);
    if (!old) changes.push({ kind: 'appAdded', app });
    // Federated credentials are read for mailbox-capable apps only: when either side did not read
    // this app's, their absence there is not a change.
    const federated = !old || (federatedKnown(previous, old) && federatedKnown(current, app));
    const compared = (c: AppCredential) => federated || c.kind !== 'federated';
    const oldCreds = new Set((old?.credentials ?? []).filter(compared).map((c) => credentialKey(c.holder, c.keyId)));
    for (const c of app.credentials.filter(compared)) {
      if (!oldCreds.has(credentialKey(c.holder, c.keyId))) {
        changes.push({ kind: 'credentialAdded', app, credentialKeyId: c.keyId, credentialKind: c.kind, holder: c.holder });
      }
    }
    if (old) {
      const nowCreds = new Set(app.credentials.filter(compared).map((c) => credentialKey(c.holder, c.keyId)));
      for (const c of old.credentials.filter(compared))
        if (!nowCreds.has(credentialKey(c.holder, c.keyId))) changes.push({ kind: 'credentialRemoved', app, credentialKeyId: c.keyId });
    }
    if (comparable) changes.push(...permissionsAdded(old, app));
  }
  return changes;
}

/**
 * Mailbox permissions `app` holds that `old` did not, once per type and name. A delegated scope
 * consented for one user (`Principal`, reach someUsers) that is now consented for everyone
 * (`AllPrincipals`, reach allUsers) is added as well: it reaches every user's mailbox now
 * (https://learn.microsoft.com/graph/api/resources/oauth2permissiongrant, consentType).
 */
function permissionsAdded(old: InventoryApp | undefined, app: InventoryApp): InventoryChange[] {
  const held = new Set((old?.mailboxPermissions ?? []).map(permissionKey));
  const heldByAll = new Set((old?.mailboxPermissions ?? []).filter((p) => p.reach === 'allUsers').map(permissionKey));
  const added = new Map<string, { permission: string; type: 'application' | 'delegated'; widened: boolean }>();
  for (const p of app.mailboxPermissions) {
    const key = permissionKey(p);
    if (!held.has(key)) added.set(key, { permission: p.permission, type: p.type, widened: false });
    else if (p.reach === 'allUsers' && !heldByAll.has(key)) added.set(key, { permission: p.permission, type: p.type, widened: true });
  }
  return [...added.values()].map((p) => ({
    kind: 'mailboxPermissionAdded',
    app,
    permission: p.permission,
    type: p.type,
    ...(p.widened ? { widenedToAllUsers: true } : {}),
  }));
}
