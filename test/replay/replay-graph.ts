/**
 * A Graph that answers with Microsoft's examples, behind credwatch's real client (the official
 * Graph SDK, our retries, paging and link checks): requests are matched by method and path, and each
 * answer is an example's status, headers and body. Nothing is simulated beyond choosing which
 * example answers which request; an unexpected request gets a 400 that names it, so a test fails
 * loudly instead of reading an invented answer.
 */
import { createGraphApi, type GraphApi } from '../../src/graph/client.js';
import type { Clock } from '../../src/graph/rate-limit.js';
import { createLogger } from '../../src/logging.js';
import type { MicrosoftExample } from './fixtures.js';

export const GRAPH_BASE = 'https://graph.microsoft.com';

/** One answer: an example (status, headers, body as published), or a plain status and body. */
export interface Answer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** The answer an example gives (its status, its headers, its body). */
export function answerWith(e: MicrosoftExample): Answer {
  return { status: e.status ?? 200, ...(e.headers ? { headers: e.headers } : {}), body: e.response };
}

/** A request credwatch sent, as the replay saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  /** The decoded path, e.g. `/v1.0/servicePrincipals(appId='…')`. */
  path: string;
  body: unknown;
}

/**
 * `METHOD /version/path` → answers, used in order (the last repeats). The path is compared decoded
 * and without the query, so `GET /beta/auditLogs/signIns` matches whatever filter credwatch sends.
 */
export type Routes = Record<string, Answer | Answer[]>;

export interface Replay {
  graph: GraphApi;
  requests: SeenRequest[];
  /** Every wait credwatch asked the clock for, in ms (retries and budgets). */
  sleeps: number[];
}

export function replayGraph(routes: Routes): Replay {
  const requests: SeenRequest[] = [];
  const sleeps: number[] = [];
  const used = new Map<string, number>();
  let now = Date.parse('2026-11-26T12:00:00Z');
  const clock: Clock = {
    now: () => new Date(now),
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
  const fetch = async (url: string, init?: RequestInit): Promise<Response> => {
    const parsed = new URL(url);
    const method = (init?.method ?? 'GET').toUpperCase();
    const path = decodeURIComponent(parsed.pathname);
    const text = typeof init?.body === 'string' ? init.body : undefined;
    requests.push({ method, url, path, body: text === undefined ? undefined : (JSON.parse(text) as unknown) });
    const key = `${method} ${path}`;
    const route = routes[key];
    const list = route === undefined ? [] : Array.isArray(route) ? route : [route];
    const index = used.get(key) ?? 0;
    used.set(key, index + 1);
    const answer = list[Math.min(index, list.length - 1)];
    if (!answer) {
      return new Response(JSON.stringify({ error: { code: 'NoReplay', message: `no example answers ${key}` } }), {
        status: 400,
        headers: { 'content-type': 'application/json' },
      });
    }
    const payload = answer.body === undefined || answer.body === null ? null : JSON.stringify(answer.body);
    const headers = { ...(payload === null ? {} : { 'content-type': 'application/json' }), ...answer.headers };
    return new Response(payload, { status: answer.status, headers });
  };
  const graph = createGraphApi({
    graphBaseUrl: GRAPH_BASE,
    tokens: { getToken: () => Promise.resolve({ token: 'replay-token', expiresOn: undefined, roles: [], appId: undefined }) },
    fetch,
    logger: createLogger({ level: 'silent' }),
    clock,
    random: () => 0.5,
    enforceBudgets: false,
  });
  return { graph, requests, sleeps };
}
