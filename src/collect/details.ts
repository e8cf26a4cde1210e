/**
 * Federated identity credentials of the mailbox-capable app registrations. They are a navigation
 * property, which the applications list does not return, so each app needs its own
 * `GET /applications/{id}/federatedIdentityCredentials`
 * (https://learn.microsoft.com/graph/api/application-list-federatedidentitycredentials); those
 * reads travel 20 to a JSON `$batch` request. Certificates no longer need a read of their own: the
 * list pages carry their public keys (directory.ts).
 */
import type { InventoryApp, SourceStatus } from '../events.js';
import { CredwatchError, toCredwatchError } from '../errors.js';
import { batchGet, type BatchGet, type BatchStats } from '../graph/batch.js';
import type { GraphApi } from '../graph/client.js';
import type { Logger } from '../logging.js';
import { federatedCredentialsOf } from './directory.js';
import { objects, type Json } from './values.js';

/**
 * The reference page documents `$filter` (eq) and `$select` only — no `$top` — and the default page
 * holds them all: an application can have at most 20 federated identity credentials ("Maximum of
 * 20 objects can be added to an application",
 * https://learn.microsoft.com/graph/api/application-post-federatedidentitycredentials).
 */
const FEDERATED_SELECT = ['id', 'name', 'issuer', 'subject', 'audiences'] as const;

/** The `credentialDetails` source and the ids of the apps whose read failed. */
export interface FederatedRead {
  status: SourceStatus;
  notRead: string[];
}

/**
 * Reads the federated credentials of every app in `apps` that has a registration here (a vendor's
 * multi-tenant app has none: its credentials live in the vendor's tenant). A read that fails
 * leaves the source `partial` (or `failed` when none succeeded): unknown, never clean.
 */
export async function readFederatedCredentials(graph: GraphApi, apps: readonly InventoryApp[], logger: Logger, stats?: BatchStats): Promise<SourceStatus> {
  return (await readFederated(graph, apps, logger, stats)).status;
}

/**
 * {@link readFederatedCredentials}, also naming the apps not read: the inventory diff must not take
 * their missing federated credentials for removed ones, nor next scan's for added ones.
 */
export async function readFederated(graph: GraphApi, apps: readonly InventoryApp[], logger: Logger, stats?: BatchStats): Promise<FederatedRead> {
  const targets = apps.filter((a) => a.applicationObjectId !== undefined);
  const requests: BatchGet[] = targets.map((a) => ({ path: federatedPath(a), query: { select: FEDERATED_SELECT } }));
  const results = await batchGet<Json>(graph, requests, stats ? { stats } : {});
  let failures = 0;
  const notRead: string[] = [];
  let lastError: CredwatchError | undefined;
  for (const [i, app] of targets.entries()) {
    const result = results[i];
    try {
      if (!result) throw new CredwatchError('INTERNAL', `No batch result for ${app.appId}.`);
      if (!result.ok) throw result.error;
      app.credentials.push(...federatedCredentialsOf(await allPages(graph, federatedPath(app), result.body)));
    } catch (e: unknown) {
      const err = toCredwatchError(e);
      if (err.code === 'INTERNAL') throw err;
      failures += 1;
      notRead.push(app.appId);
      lastError = err;
      logger.warn({ err, appId: app.appId }, 'federated credentials not collected');
    }
  }
  const status: SourceStatus = {
    source: 'credentialDetails',
    status: failures === 0 ? 'complete' : failures === targets.length ? 'failed' : 'partial',
    items: targets.length - failures,
    ...(lastError
      ? { errorCode: lastError.code, message: `${failures} of ${targets.length} apps not read; last: ${lastError.code}: ${lastError.message}` }
      : {}),
  };
  return { status, notRead };
}

function federatedPath(app: InventoryApp): string {
  return `/applications/${app.applicationObjectId ?? ''}/federatedIdentityCredentials`;
}

/**
 * The items of the batched first page. Twenty credentials always fit one page, but should Graph
 * ever page them, the whole collection is read again directly (following links is the client's job).
 */
async function allPages(graph: GraphApi, path: string, page: Json): Promise<Json[]> {
  if (!Array.isArray(page.value)) throw new CredwatchError('GRAPH_BAD_RESPONSE', `Graph returned a page without a value array for ${path}.`);
  if (page['@odata.nextLink'] === undefined || page['@odata.nextLink'] === null) return objects(page.value);
  const items: Json[] = [];
  for await (const item of graph.list<Json>(path, { select: FEDERATED_SELECT })) items.push(item);
  return items;
}
