import type { Inventory, InventoryApp } from '../events.js';
import type { InventoryChange } from '../events.js';

const DATE_KEYS = new Set(['collectedAt', 'startDateTime', 'endDateTime', 'createdDateTime', 'grantedAt', 'notBefore', 'notAfter']);

/** The inventory as stored between runs (dates as ISO strings). */
export function serializeInventory(inventory: Inventory): string {
  return JSON.stringify(inventory);
}

export function parseInventory(json: string): Inventory {
  return JSON.parse(json, (key, value: unknown) => (DATE_KEYS.has(key) && typeof value === 'string' ? new Date(value) : value)) as Inventory;
}

const credentialKey = (holder: string, keyId: string) => `${holder}:${keyId.toLowerCase()}`;
const permissionKey = (p: { permission: string; type: string }) => `${p.type}:${p.permission}`;

/**
 * What changed since the previous snapshot: the safety net for credential and permission changes
 * when audit data is missing, late or not licensed. The first run has no previous snapshot and
 * reports nothing (it is the baseline).
 */
export function diffInventories(previous: Inventory | undefined, current: Inventory): InventoryChange[] {
  if (!previous) return [];
  // A source that failed now or then would make everything it covers look added or removed.
  const failed = (inv: Inventory, source: string) => inv.sources.some((s) => s.source.startsWith(source) && s.status === 'failed');
  const before = new Map(previous.apps.map((a) => [a.appId, a]));
  const changes: InventoryChange[] = [];
  for (const app of current.apps) {
    const old = before.get(app.appId);
    if (!old) changes.push({ kind: 'appAdded', app });
    const oldCreds = new Set((old?.credentials ?? []).map((c) => credentialKey(c.holder, c.keyId)));
    for (const c of app.credentials) {
      if (!oldCreds.has(credentialKey(c.holder, c.keyId))) {
        changes.push({ kind: 'credentialAdded', app, credentialKeyId: c.keyId, credentialKind: c.kind, holder: c.holder });
      }
    }
    if (old) {
      const nowCreds = new Set(app.credentials.map((c) => credentialKey(c.holder, c.keyId)));
      for (const c of old.credentials)
        if (!nowCreds.has(credentialKey(c.holder, c.keyId))) changes.push({ kind: 'credentialRemoved', app, credentialKeyId: c.keyId });
    }
    const comparable =
      !failed(previous, 'appRoleAssignedTo') &&
      !failed(current, 'appRoleAssignedTo') &&
      !failed(previous, 'oauth2PermissionGrants') &&
      !failed(current, 'oauth2PermissionGrants');
    if (comparable) {
      const oldPerms = new Set((old?.mailboxPermissions ?? []).map(permissionKey));
      for (const p of dedupe(app))
        if (!oldPerms.has(permissionKey(p))) changes.push({ kind: 'mailboxPermissionAdded', app, permission: p.permission, type: p.type });
    }
  }
  return changes;
}

function dedupe(app: InventoryApp): Array<{ permission: string; type: 'application' | 'delegated' }> {
  const seen = new Map<string, { permission: string; type: 'application' | 'delegated' }>();
  for (const p of app.mailboxPermissions) seen.set(permissionKey(p), { permission: p.permission, type: p.type });
  return [...seen.values()];
}
