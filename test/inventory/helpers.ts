/**
 * Plumbing for the inventory tests: a tenant with many mailbox-capable app registrations, and a
 * Graph client whose `$batch` answers can carry an inner failure.
 *
 * The simulator's fault rules act on whole HTTP requests; an inner request of a batch never is one.
 * So inner failures are injected on the wire instead: the real client sends, the real simulator
 * answers, and only the chosen inner responses are replaced with the Graph error a throttled,
 * forbidden or missing object gets — nothing of credwatch is replaced.
 */
import { createHash } from 'node:crypto';
import { createGraphApi, type GraphApi } from '../../src/graph/client.js';
import { connectTenant, tenantFetch } from '../../src/graph/connect.js';
import type { FetchLike } from '../../src/graph/http.js';
import type { Logger } from '../../src/logging.js';
import type { FederatedIdentityCredential, RunningSimulator, Scenario } from '../../src/simulator/index.js';
import { assignment, daysFrom, ownApp } from '../../src/simulator/scenarios/builders.js';
import { GRAPH_APP_ID, ROLE } from '../../src/simulator/scenarios/microsoft.js';
import { FAST_RETRY, simulatorConfig } from '../helpers/tenant.js';

/** One inner response to replace: the first `times` inner requests whose url contains `urlIncludes`. */
export interface InnerFault {
  urlIncludes: string;
  status: number;
  code: string;
  retryAfter?: string;
  times?: number;
}

/** `fetch` with the chosen inner responses of each `$batch` answer replaced. */
export function withInnerFaults(fetch: FetchLike, faults: readonly InnerFault[]): FetchLike {
  const fired = faults.map(() => 0);
  return async (url, init) => {
    const response = await fetch(url, init);
    if (init?.method !== 'POST' || !new URL(url).pathname.endsWith('/$batch')) return response;
    const sent = JSON.parse(String(init.body)) as { requests: { id: string; url: string }[] };
    const answer = (await response.json()) as { responses: { id: string; status: number; headers: Record<string, string>; body: unknown }[] };
    for (const inner of answer.responses) {
      const innerUrl = sent.requests.find((r) => r.id === inner.id)?.url ?? '';
      const index = faults.findIndex((f, i) => innerUrl.includes(f.urlIncludes) && (fired[i] ?? 0) < (f.times ?? 1));
      const fault = faults[index];
      if (!fault) continue;
      fired[index] = (fired[index] ?? 0) + 1;
      inner.status = fault.status;
      inner.headers = { 'Content-Type': 'application/json', ...(fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {}) };
      inner.body = { error: { code: fault.code, message: `Injected ${fault.status}.`, innerError: { 'request-id': 'injected' } } };
    }
    return new Response(JSON.stringify(answer), { status: response.status, headers: { 'content-type': 'application/json' } });
  };
}

/** The real client for the simulator's tenant, over a fetch that injects `faults` into batch answers. */
export async function graphWithInnerFaults(sim: RunningSimulator, logger: Logger, faults: readonly InnerFault[]): Promise<GraphApi> {
  const tenant = (await simulatorConfig(sim, 'certificate')).tenants[0]!;
  const { tokens } = connectTenant(tenant, { logger });
  return createGraphApi({
    graphBaseUrl: tenant.endpoints.graphBaseUrl,
    tokens,
    fetch: withInnerFaults(tenantFetch(tenant), faults),
    logger,
    retry: FAST_RETRY,
  });
}

/**
 * `scenario` plus `count` app registrations of its tenant, each holding Microsoft Graph's Mail.Read
 * (so mailbox-capable) and `federated` federated identity credentials.
 */
export function withMailboxApps(scenario: Scenario, count: number, now: Date, federated = 1): Scenario {
  const graph = scenario.servicePrincipals.find((sp) => sp.appId === GRAPH_APP_ID);
  if (!graph) throw new Error('the scenario has no Microsoft Graph service principal');
  const out: Scenario = {
    ...scenario,
    applications: [...scenario.applications],
    servicePrincipals: [...scenario.servicePrincipals],
    appRoleAssignments: [...scenario.appRoleAssignments],
  };
  for (let i = 0; i < count; i += 1) {
    const { app, sp } = ownApp({
      tenantId: scenario.tenant.id,
      displayName: `Mailbox App ${i}`,
      created: daysFrom(now, -30),
      domain: scenario.tenant.defaultDomain,
    });
    app.federatedIdentityCredentials = Array.from({ length: federated }, (_, k) =>
      federatedCredential(`${app.id}/${k}`, `repo:contoso/app-${i}:environment:prod-${k}`),
    );
    out.applications.push(app);
    out.servicePrincipals.push(sp);
    out.appRoleAssignments.push(assignment(sp, graph, ROLE.mailRead, daysFrom(now, -30)));
  }
  return out;
}

/** A GitHub Actions federated credential, as workload identity federation sets one up. */
export function federatedCredential(label: string, subject: string): FederatedIdentityCredential {
  const hex = createHash('sha1').update(label).digest('hex');
  return {
    id: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`,
    name: subject.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 120),
    issuer: 'https://token.actions.githubusercontent.com',
    subject,
    audiences: ['api://AzureADTokenExchange'],
    description: null,
  };
}
