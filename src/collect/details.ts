import type { AppCredential, InventoryApp, SourceStatus } from '../events.js';
import { toCredwatchError } from '../errors.js';
import type { GraphApi } from '../graph/client.js';
import type { Logger } from '../logging.js';
import { credentialsOf, federatedCredentialsOf } from './directory.js';
import type { Json } from './values.js';

/**
 * Single-object reads for mailbox-capable apps: certificate public keys (Graph fills `key` only
 * on a single GET with `$select=keyCredentials`) and federated credentials (a navigation property
 * that list calls cannot expand). Limited to the apps that matter so request count stays small.
 */
export async function enrichMailboxApps(graph: GraphApi, apps: readonly InventoryApp[], logger: Logger): Promise<SourceStatus> {
  let failures = 0;
  let lastError: string | undefined;
  for (const app of apps) {
    try {
      await enrichOne(graph, app);
    } catch (e: unknown) {
      const err = toCredwatchError(e);
      if (!err.retryable && err.code !== 'GRAPH_PERMISSION_MISSING' && err.code !== 'GRAPH_REQUEST_REJECTED') throw err;
      failures += 1;
      lastError = `${err.code}: ${err.message}`;
      logger.warn({ err, appId: app.appId }, 'credential details not collected');
    }
  }
  return {
    source: 'credentialDetails',
    status: failures === 0 ? 'complete' : failures === apps.length && apps.length > 0 ? 'failed' : 'partial',
    items: apps.length - failures,
    ...(lastError ? { message: `${failures} of ${apps.length} apps not read; last: ${lastError}` } : {}),
  };
}

async function enrichOne(graph: GraphApi, app: InventoryApp): Promise<void> {
  const hasCert = (holder: AppCredential['holder']) => app.credentials.some((c) => c.kind === 'certificate' && c.holder === holder);
  if (app.applicationObjectId) {
    if (hasCert('application')) {
      const full = await graph.get<Json>(`/applications/${app.applicationObjectId}`, { select: ['id', 'keyCredentials'] });
      attachCertificates(app, credentialsOf(full, 'application'));
    }
    const federated: Json[] = [];
    for await (const f of graph.list<Json>(`/applications/${app.applicationObjectId}/federatedIdentityCredentials`, { select: ['id', 'name', 'issuer', 'subject', 'audiences'] })) federated.push(f);
    app.credentials.push(...federatedCredentialsOf(federated));
  }
  if (app.servicePrincipalId && hasCert('servicePrincipal')) {
    const full = await graph.get<Json>(`/servicePrincipals/${app.servicePrincipalId}`, { select: ['id', 'keyCredentials'] });
    attachCertificates(app, credentialsOf(full, 'servicePrincipal'));
  }
}

function attachCertificates(app: InventoryApp, detailed: readonly AppCredential[]): void {
  for (const d of detailed) {
    const target = app.credentials.find((c) => c.keyId === d.keyId && c.holder === d.holder);
    if (target && d.certificate) {
      target.certificate = d.certificate;
      target.thumbprintSha1 ??= d.certificate.thumbprintSha1;
    }
  }
}
