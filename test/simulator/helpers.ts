/**
 * Test plumbing for talking to the simulator over real TLS: an undici Agent that trusts the
 * simulator's CA (never NODE_TLS_REJECT_UNAUTHORIZED), an MSAL INetworkModule on top of it, and a
 * Graph client whose final middleware fetches through that Agent.
 */
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { AuthenticationHandler, Client, type AuthenticationProvider, type Context, type Middleware } from '@microsoft/microsoft-graph-client';
import { Agent, fetch as undiciFetch } from 'undici';
import type { RunningSimulator } from '../../src/simulator/index.js';

/** An undici dispatcher that trusts only the simulator's CA. */
export function trustingAgent(caCertPem: string): Agent {
  return new Agent({ connect: { ca: caCertPem } });
}

/** MSAL's network module over undici fetch with the simulator's CA. */
export function msalNetworkModule(agent: Agent): INetworkModule {
  const send = async <T>(method: 'GET' | 'POST', url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    const response = await undiciFetch(url, { method, headers: options?.headers, body: options?.body, dispatcher: agent });
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name.toLowerCase()] = value;
    });
    const text = await response.text();
    return { headers, status: response.status, body: (text === '' ? {} : JSON.parse(text)) as T };
  };
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

/** The Graph client's last middleware: fetch through the CA-trusting Agent. */
class UndiciFetchHandler implements Middleware {
  constructor(private readonly agent: Agent) {}

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const response = await undiciFetch(url, { ...(context.options as object), dispatcher: this.agent });
    context.response = response as unknown as Response;
  }
}

/** A real Graph client pointed at the simulator, authenticating with `getToken`. */
export function graphClient(sim: RunningSimulator, agent: Agent, getToken: () => Promise<string>): Client {
  const authProvider: AuthenticationProvider = { getAccessToken: getToken };
  const auth = new AuthenticationHandler(authProvider);
  const fetcher = new UndiciFetchHandler(agent);
  auth.setNext(fetcher);
  return Client.initWithMiddleware({
    middleware: auth,
    baseUrl: sim.graphBaseUrl,
    customHosts: new Set([new URL(sim.graphBaseUrl).hostname]),
  });
}

/** A plain GET with a bearer token, for asserting on raw responses. */
export async function rawGet(agent: Agent, url: string, token: string): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await undiciFetch(url, { headers: { authorization: `Bearer ${token}` }, dispatcher: agent });
  return { status: response.status, headers: response.headers as unknown as Headers, text: await response.text() };
}

/** A Graph token for credwatch's app via the client-secret grant (fresh, no MSAL cache). */
export async function secretToken(sim: RunningSimulator, agent: Agent): Promise<string> {
  const response = await undiciFetch(`${sim.url}/${sim.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    dispatcher: agent,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: sim.credwatchApp.clientId,
      client_secret: sim.credwatchApp.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
    }).toString(),
  });
  const body = (await response.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`token request failed: ${JSON.stringify(body)}`);
  return body.access_token;
}

/** Parses a raw JSON response body. */
export function json<T = Record<string, unknown>>(text: string): T {
  return JSON.parse(text) as T;
}
