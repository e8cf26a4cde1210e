/**
 * Mailbox reach taken from the previous snapshot when this scan could not read it. Without it, a
 * failed `appRoleAssignedTo` or grants read makes every app look unable to reach mailboxes: a
 * stolen certificate is judged as a plain app's, posture and new-network rules go quiet, and the
 * next scan's diff sees every credential of those apps as new (docs/inventory.md, "When mailbox
 * reach cannot be read"). The sources stay `failed`: carried-over data is the last known state,
 * reported as unknown, never as current.
 */
import type { DelegatedGrant, Inventory, InventoryApp, RoleAssignment, SourceStatus } from '../events.js';

/** The snapshot a scan compares with, as the inventory stage reads it from the store. */
export interface PreviousSnapshot {
  inventory: Inventory;
  takenAt: Date;
}

/** The reach reads that failed: resources (by app id) whose `appRoleAssignedTo` failed, and the grants. */
export interface UnreadReach {
  resources: ReadonlySet<string>;
  grants: boolean;
}

/** What an inventory took from the previous snapshot; stored with it, so the next diff knows. */
export interface ReachCarryOver {
  /** `takenAt` of the snapshot the reach came from; absent when there was none (nothing carried). */
  snapshotTakenAt?: Date;
  /** Ids of the apps whose role assignments or delegated grants came from that snapshot. */
  appIds: string[];
}

/**
 * An inventory with what it could not read. Both fields are absent when everything was read, so
 * the stored snapshot of a good scan is the plain {@link Inventory}.
 */
export interface CollectedInventory extends Inventory {
  /** Present when mailbox reach could not be read (with or without a snapshot to carry it from). */
  reachCarriedOver?: ReachCarryOver;
  /** Apps whose federated credentials this inventory tried and failed to read. */
  federatedNotRead?: string[];
}

/** Carried role assignments and grants by service principal id (ids do not change between scans). */
export interface CarriedReach {
  assignments: Map<string, RoleAssignment[]>;
  grants: Map<string, DelegatedGrant[]>;
}

/** Whether any part of mailbox reach failed. */
export function isReachUnread(unread: UnreadReach): boolean {
  return unread.resources.size > 0 || unread.grants;
}

/**
 * The previous snapshot's assignments on the resources that were not read, and its grants when the
 * grants were not read. Nothing when there is no snapshot or nothing failed.
 */
export function carriedReach(previous: Inventory | undefined, unread: UnreadReach): CarriedReach {
  const out: CarriedReach = { assignments: new Map(), grants: new Map() };
  if (!previous || !isReachUnread(unread)) return out;
  for (const app of previous.apps) {
    if (!app.servicePrincipalId) continue;
    const assignments = app.appRoleAssignments.filter((a) => unread.resources.has(a.resourceAppId));
    if (assignments.length > 0) out.assignments.set(app.servicePrincipalId, assignments);
    if (unread.grants && app.delegatedGrants.length > 0) out.grants.set(app.servicePrincipalId, [...app.delegatedGrants]);
  }
  return out;
}

/**
 * Says on each failed reach source what was done instead, so an operator reads "unknown, last known
 * state kept" rather than "no mailbox apps". The status stays `failed` (collection-failing fires).
 */
export function noteCarryOver(sources: SourceStatus[], previous: PreviousSnapshot | undefined, carried: number): void {
  const note = previous
    ? `mailbox permissions of ${carried} app(s) carried over from the snapshot of ${previous.takenAt.toISOString()}`
    : 'no previous snapshot to carry mailbox permissions over from: which apps reach mailboxes is unknown';
  for (const s of sources) {
    if (s.status !== 'failed' || !isReachSource(s.source)) continue;
    s.message = s.message ? `${s.message} (${note})` : note;
  }
}

/**
 * `credentialDetails` read the apps known to reach mailboxes; with reach unread, others may too, so
 * a complete read is only `partial` (docs/inventory.md).
 */
export function uncertainDetails(status: SourceStatus): SourceStatus {
  if (status.status !== 'complete') return status;
  return {
    ...status,
    status: 'partial',
    message: `${status.items ?? 0} app(s) read, but mailbox reach could not be read, so other apps may reach mailboxes too`,
  };
}

/** A source that decides mailbox reach: `appRoleAssignedTo:<resource>` or `oauth2PermissionGrants`. */
export function isReachSource(source: string): boolean {
  return source.startsWith('appRoleAssignedTo') || source.startsWith('oauth2PermissionGrants');
}

/** Whether an inventory's mailbox reach failed (carried over or not). */
export function reachFailed(inventory: Inventory): boolean {
  return inventory.sources.some((s) => s.status === 'failed' && isReachSource(s.source));
}

/**
 * Whether `inventory` read this app's federated credentials. They are read for mailbox-capable
 * apps only, so with reach unread any other app may have been skipped; and a read can fail.
 */
export function federatedKnown(inventory: CollectedInventory, app: InventoryApp): boolean {
  if (inventory.federatedNotRead?.includes(app.appId)) return false;
  return !(reachFailed(inventory) && app.mailboxPermissions.length === 0);
}
