import type { Inventory, InventoryApp, SourceStatus } from '../events.js';
import { CredwatchError, toCredwatchError } from '../errors.js';
import type { GraphApi } from '../graph/client.js';
import { odataString } from '../graph/url.js';
import type { Logger } from '../logging.js';
import { mailboxPermissions } from '../inventory/mailbox.js';
import { MAILBOX_RESOURCES } from '../inventory/resources.js';
import { enrichMailboxApps } from './details.js';
import {
  APPLICATION_SELECT,
  appFromServicePrincipal,
  grantOf,
  mergeApplication,
  SERVICE_PRINCIPAL_SELECT,
} from './directory.js';
import { date, objects, str, type Json } from './values.js';

export interface CollectInventoryDeps {
  graph: GraphApi;
  logger: Logger;
  now: () => Date;
}

/** Directory collections are paged at Graph's maximum so requests grow with pages, not objects. */
const DIRECTORY_PAGE = 999;

interface ResourceInfo {
  appId: string;
  servicePrincipalId: string;
  displayName: string;
  roleNames: Map<string, string>;
}

/**
 * Reads every app and service principal with its credentials and mailbox reach. Request count is
 * O(pages): one pass over service principals, one over applications, one `appRoleAssignedTo` pass
 * per mailbox resource, one over delegated grants, then single-object reads only for the
 * mailbox-capable apps (the only reads that return certificate public keys).
 */
export async function collectInventory(deps: CollectInventoryDeps, tenantId: string): Promise<Inventory> {
  const { graph, logger } = deps;
  const sources: SourceStatus[] = [];
  const byAppId = new Map<string, InventoryApp>();
  const bySpId = new Map<string, InventoryApp>();

  const resources = await readResources(graph, sources);

  let count = 0;
  for await (const sp of graph.list<Json>('/servicePrincipals', { select: SERVICE_PRINCIPAL_SELECT, top: DIRECTORY_PAGE })) {
    const app = appFromServicePrincipal(sp, tenantId);
    if (!app) continue;
    byAppId.set(app.appId, app);
    if (app.servicePrincipalId) bySpId.set(app.servicePrincipalId, app);
    count += 1;
  }
  sources.push({ source: 'servicePrincipals', status: 'complete', items: count });

  count = 0;
  for await (const registration of graph.list<Json>('/applications', { select: APPLICATION_SELECT, top: DIRECTORY_PAGE })) {
    const appId = str(registration.appId);
    const merged = mergeApplication(appId ? byAppId.get(appId) : undefined, registration, tenantId);
    if (!merged) continue;
    byAppId.set(merged.appId, merged);
    count += 1;
  }
  sources.push({ source: 'applications', status: 'complete', items: count });

  for (const resource of resources) {
    await collectOptional(sources, `appRoleAssignedTo:${resource.displayName}`, logger, async () => {
      let n = 0;
      const path = `/servicePrincipals(appId=${odataString(resource.appId)})/appRoleAssignedTo`;
      for await (const a of graph.list<Json>(path, { select: ['id', 'principalId', 'principalType', 'appRoleId', 'createdDateTime'], top: DIRECTORY_PAGE })) {
        const principal = bySpId.get(str(a.principalId) ?? '');
        const roleId = str(a.appRoleId);
        if (!principal || !roleId) continue;
        principal.appRoleAssignments.push({
          resourceAppId: resource.appId,
          resourceDisplayName: resource.displayName,
          appRoleId: roleId,
          roleValue: resource.roleNames.get(roleId.toLowerCase()),
          createdDateTime: date(a.createdDateTime),
        });
        n += 1;
      }
      return n;
    });
  }

  const resourceBySpId = new Map([...bySpId].map(([id, app]) => [id, { appId: app.appId, displayName: app.displayName }]));
  await collectOptional(sources, 'oauth2PermissionGrants', logger, async () => {
    let n = 0;
    for await (const g of graph.list<Json>('/oauth2PermissionGrants', { select: ['id', 'clientId', 'consentType', 'resourceId', 'scope'], top: DIRECTORY_PAGE })) {
      const parsed = grantOf(g, resourceBySpId);
      const client = parsed ? bySpId.get(parsed.clientId) : undefined;
      if (!parsed || !client) continue;
      client.delegatedGrants.push(parsed.grant);
      n += 1;
    }
    return n;
  });

  const apps = [...byAppId.values()];
  for (const app of apps) app.mailboxPermissions = mailboxPermissions(app.appRoleAssignments, app.delegatedGrants);
  sources.push(await enrichMailboxApps(graph, apps.filter((a) => a.mailboxPermissions.length > 0), logger));

  logger.info({ apps: apps.length, requests: graph.stats.requests }, 'inventory collected');
  return { tenantId, collectedAt: deps.now(), apps, sources };
}

/**
 * The resource service principals whose `appRoles` name the roles we see in assignments. A tenant
 * without Exchange Online simply has no such resource; that is not an error.
 */
async function readResources(graph: GraphApi, sources: SourceStatus[]): Promise<ResourceInfo[]> {
  const out: ResourceInfo[] = [];
  for (const { appId } of MAILBOX_RESOURCES) {
    try {
      const sp = await graph.get<Json>(`/servicePrincipals(appId=${odataString(appId)})`, {
        select: ['id', 'appId', 'displayName', 'appRoles'],
      });
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
 * recorded as failed so reports say "unknown" for what it would have shown.
 */
async function collectOptional(sources: SourceStatus[], source: string, logger: Logger, run: () => Promise<number>): Promise<void> {
  try {
    const items = await run();
    sources.push({ source, status: 'complete', items });
  } catch (e: unknown) {
    const err = toCredwatchError(e);
    if (!err.retryable && err.code !== 'GRAPH_PERMISSION_MISSING' && err.code !== 'GRAPH_REQUEST_REJECTED') throw err;
    logger.warn({ err, source }, 'inventory source not collected');
    sources.push({ source, status: 'failed', errorCode: err.code, message: err.message });
  }
}
