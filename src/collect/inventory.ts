import type { InventoryApp, SourceStatus } from '../events.js';
import type { BatchStats } from '../graph/batch.js';
import type { GraphApi } from '../graph/client.js';
import type { Logger } from '../logging.js';
import { carriedReach, isReachUnread, noteCarryOver, uncertainDetails, type CollectedInventory, type PreviousSnapshot } from '../inventory/carryover.js';
import { mailboxPermissions } from '../inventory/mailbox.js';
import { readFederated } from './details.js';
import { appFromServicePrincipal, mergeApplication, nameGrantResource } from './directory.js';
import { APPLICATIONS_REQUEST, SERVICE_PRINCIPALS_REQUEST } from './inventory-requests.js';
import { readMailboxReach } from './reach.js';
import { str, type Json } from './values.js';

/** What {@link collectInventory} needs: a Graph client for the tenant, a logger and a clock. */
export interface CollectInventoryDeps {
  graph: GraphApi;
  logger: Logger;
  now: () => Date;
  /** Counts of `$batch` requests and their inner requests, for benchmarks. */
  batchStats?: BatchStats;
  /**
   * The last stored snapshot, if any: mailbox reach that cannot be read now is carried over from it
   * (inventory/carryover.ts). Without one, a failed reach read leaves mailbox apps unknown.
   */
  previous?: PreviousSnapshot | undefined;
}

/**
 * Reads every app and service principal with its credentials and mailbox reach. Request count is
 * O(pages), never one per app: mailbox reach first (the two resources, one `appRoleAssignedTo`
 * pass per mailbox resource, the delegated grants), then one pass over service principals and one
 * over applications — whose pages carry each certificate's public key, parsed for the
 * mailbox-capable apps only — then the federated credentials of mailbox-capable app registrations,
 * 20 apps per JSON `$batch` request. Reach that cannot be read is taken from `deps.previous`, with
 * its sources left `failed` and the apps named in `reachCarriedOver`.
 */
export async function collectInventory(deps: CollectInventoryDeps, tenantId: string): Promise<CollectedInventory> {
  const { graph, logger } = deps;
  const sources: SourceStatus[] = [];
  const byAppId = new Map<string, InventoryApp>();
  const bySpId = new Map<string, InventoryApp>();

  const reach = await readMailboxReach(graph, sources, logger);
  const reachUnread = isReachUnread(reach.unread);
  const carried = carriedReach(deps.previous?.inventory, reach.unread);
  const carriedApps: string[] = [];

  let count = 0;
  let unreadable = 0;
  for await (const sp of graph.list<Json>(SERVICE_PRINCIPALS_REQUEST.path, SERVICE_PRINCIPALS_REQUEST.query)) {
    const spId = str(sp.id) ?? '';
    const oldAssignments = carried.assignments.get(spId) ?? [];
    const oldGrants = carried.grants.get(spId) ?? [];
    const assignments = [...(reach.assignments.get(spId) ?? []), ...oldAssignments];
    const grants = [...(reach.grants.get(spId) ?? []).map((g) => g.grant), ...oldGrants];
    const mailbox = mailboxPermissions(assignments, grants);
    const app = appFromServicePrincipal(sp, tenantId, mailbox.length > 0);
    if (!app) {
      unreadable += 1;
      continue;
    }
    if (oldAssignments.length > 0 || oldGrants.length > 0) carriedApps.push(app.appId);
    app.appRoleAssignments = assignments;
    app.delegatedGrants = grants;
    app.mailboxPermissions = mailbox;
    byAppId.set(app.appId, app);
    if (app.servicePrincipalId) bySpId.set(app.servicePrincipalId, app);
    count += 1;
  }
  sources.push(listStatus('servicePrincipals', count, unreadable, logger));

  for (const records of reach.grants.values()) {
    for (const record of records) if (record.grant.resourceAppId === undefined) nameGrantResource(record, bySpId.get(record.resourceId));
  }

  count = 0;
  unreadable = 0;
  for await (const registration of graph.list<Json>(APPLICATIONS_REQUEST.path, APPLICATIONS_REQUEST.query)) {
    const appId = str(registration.appId);
    const merged = mergeApplication(appId ? byAppId.get(appId) : undefined, registration, tenantId);
    if (!merged) {
      unreadable += 1;
      continue;
    }
    byAppId.set(merged.appId, merged);
    count += 1;
  }
  sources.push(listStatus('applications', count, unreadable, logger));

  const apps = [...byAppId.values()];
  for (const app of apps) app.mailboxPermissions = mailboxPermissions(app.appRoleAssignments, app.delegatedGrants);
  const mailboxApps = apps.filter((a) => a.mailboxPermissions.length > 0);
  const federated = await readFederated(graph, mailboxApps, logger, deps.batchStats);
  sources.push(reachUnread ? uncertainDetails(federated.status) : federated.status);

  logger.info({ apps: apps.length, mailboxCapable: mailboxApps.length, requests: graph.stats.requests }, 'inventory collected');
  const inventory: CollectedInventory = { tenantId, collectedAt: deps.now(), apps, sources };
  if (reachUnread) {
    noteCarryOver(sources, deps.previous, carriedApps.length);
    inventory.reachCarriedOver = { ...(deps.previous ? { snapshotTakenAt: deps.previous.takenAt } : {}), appIds: carriedApps };
    logger.warn({ carriedOver: carriedApps.length, snapshot: deps.previous?.takenAt }, 'mailbox reach not read: carried over from the previous snapshot');
  }
  if (federated.notRead.length > 0) inventory.federatedNotRead = federated.notRead;
  return inventory;
}

/**
 * A list that returned objects credwatch could not read (no id or appId) is partial, not complete:
 * a report must not tell "no apps" when it means "apps credwatch could not read".
 */
function listStatus(source: string, items: number, unreadable: number, logger: Logger): SourceStatus {
  if (unreadable === 0) return { source, status: 'complete', items };
  logger.warn({ source, unreadable }, 'directory objects without id or appId were skipped');
  return { source, status: 'partial', items, message: `${unreadable} object(s) without id or appId could not be read` };
}
