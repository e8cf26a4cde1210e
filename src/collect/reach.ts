/**
 * Who can reach mailboxes, read before the service principals and applications: the application
 * roles held on the mailbox resources and the delegated grants, indexed by the service principal
 * that holds them. Knowing reach first lets the directory pass parse certificates for the
 * mailbox-capable apps alone, straight from the list pages, without keeping any other key.
 */
import type { RoleAssignment, SourceStatus } from '../events.js';
import { CredwatchError, toCredwatchError } from '../errors.js';
import type { GraphApi } from '../graph/client.js';
import type { Logger } from '../logging.js';
import type { UnreadReach } from '../inventory/carryover.js';
import { MAILBOX_RESOURCES } from '../inventory/resources.js';
import { grantOf, type GrantRecord } from './directory.js';
import { appRoleAssignedToRequest, GRANTS_REQUEST, resourceRequest } from './inventory-requests.js';
import { date, objects, str, type Json } from './values.js';

/** A mailbox resource (Exchange Online, Microsoft Graph) with the names of its app roles. */
export interface ResourceInfo {
  appId: string;
  servicePrincipalId: string;
  displayName: string;
  roleNames: Map<string, string>;
}

/** Role assignments and delegated grants by the id of the service principal holding them. */
export interface MailboxReach {
  assignments: Map<string, RoleAssignment[]>;
  grants: Map<string, GrantRecord[]>;
  /** What failed: the caller carries it over from the previous snapshot (inventory/carryover.ts). */
  unread: UnreadReach;
}

/**
 * Reads the resources, one `appRoleAssignedTo` pass per mailbox resource and the delegated grants.
 * The resources are required (a tenant without one simply skips it); the other reads degrade the
 * inventory to "unknown" for what they would have shown instead of voiding it.
 */
export async function readMailboxReach(graph: GraphApi, sources: SourceStatus[], logger: Logger): Promise<MailboxReach> {
  const resources = await readResources(graph, sources);
  const unreadResources = new Set<string>();
  const reach: MailboxReach = { assignments: new Map(), grants: new Map(), unread: { resources: unreadResources, grants: false } };
  for (const resource of resources) {
    // Kept aside until the read completes: a read that fails on page 2 adds nothing, so what is
    // carried over from the snapshot for this resource is never mixed with half a read.
    const read: Array<[string, RoleAssignment]> = [];
    const ok = await collectOptional(sources, `appRoleAssignedTo:${resource.displayName}`, logger, async () => {
      const request = appRoleAssignedToRequest(resource.appId);
      for await (const a of graph.list<Json>(request.path, request.query)) {
        const principalId = str(a.principalId);
        const roleId = str(a.appRoleId);
        if (!principalId || !roleId) continue;
        read.push([
          principalId,
          {
            resourceAppId: resource.appId,
            resourceDisplayName: resource.displayName,
            appRoleId: roleId,
            roleValue: resource.roleNames.get(roleId.toLowerCase()),
            createdDateTime: date(a.createdDateTime),
          },
        ]);
      }
      return read.length;
    });
    if (ok) for (const [principalId, assignment] of read) push(reach.assignments, principalId, assignment);
    else unreadResources.add(resource.appId);
  }
  // Grants to the mailbox resources are named now (they decide reach); the rest after the SP pass.
  const named = new Map(resources.map((r) => [r.servicePrincipalId, { appId: r.appId, displayName: r.displayName }]));
  const grants: GrantRecord[] = [];
  const grantsRead = await collectOptional(sources, 'oauth2PermissionGrants', logger, async () => {
    for await (const g of graph.list<Json>(GRANTS_REQUEST.path, GRANTS_REQUEST.query)) {
      const record = grantOf(g, named);
      if (record) grants.push(record);
    }
    return grants.length;
  });
  if (grantsRead) for (const record of grants) push(reach.grants, record.clientId, record);
  else reach.unread.grants = true;
  return reach;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * The resource service principals whose `appRoles` name the roles we see in assignments. A tenant
 * without Exchange Online simply has no such resource; that is not an error.
 */
async function readResources(graph: GraphApi, sources: SourceStatus[]): Promise<ResourceInfo[]> {
  const out: ResourceInfo[] = [];
  for (const { appId } of MAILBOX_RESOURCES) {
    try {
      const request = resourceRequest(appId);
      const sp = await graph.get<Json>(request.path, request.query);
      const id = str(sp.id);
      if (!id) throw new CredwatchError('GRAPH_BAD_RESPONSE', `The service principal for ${appId} has no id.`);
      const roleNames = new Map<string, string>();
      for (const role of objects(sp.appRoles)) {
        const roleId = str(role.id);
        const value = str(role.value);
        if (roleId && value) roleNames.set(roleId.toLowerCase(), value);
      }
      out.push({ appId, servicePrincipalId: id, displayName: str(sp.displayName) ?? appId, roleNames });
    } catch (e: unknown) {
      const err = toCredwatchError(e);
      if (err.code === 'GRAPH_REQUEST_REJECTED' && err.details.status === 404) {
        sources.push({ source: `resource:${appId}`, status: 'skipped', message: 'not present in this tenant' });
        continue;
      }
      throw err;
    }
  }
  return out;
}

/**
 * Runs a collection whose failure degrades the inventory instead of voiding it: the source is
 * recorded as failed so reports say "unknown" for what it would have shown. True when it was read.
 */
async function collectOptional(sources: SourceStatus[], source: string, logger: Logger, run: () => Promise<number>): Promise<boolean> {
  try {
    const items = await run();
    sources.push({ source, status: 'complete', items });
    return true;
  } catch (e: unknown) {
    const err = toCredwatchError(e);
    if (!err.retryable && err.code !== 'GRAPH_PERMISSION_MISSING' && err.code !== 'GRAPH_REQUEST_REJECTED') throw err;
    logger.warn({ err, source }, 'inventory source not collected');
    sources.push({ source, status: 'failed', errorCode: err.code, message: err.message });
    return false;
  }
}
