import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import type { FetchLike } from './http.js';

/**
 * MSAL's network hook, routed through our fetch so token requests trust the same CA, honour the
 * same timeouts and never fall back to a global agent.
 */
export function createMsalNetworkModule(fetch: FetchLike): INetworkModule {
  async function send<T>(url: string, method: 'GET' | 'POST', options?: NetworkRequestOptions, timeoutInMs?: number): Promise<NetworkResponse<T>> {
    const init: RequestInit = { method, headers: options?.headers ?? {} };
    if (method === 'POST') init.body = options?.body ?? '';
    if (timeoutInMs) init.signal = AbortSignal.timeout(timeoutInMs);
    const response = await fetch(url, init);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    const text = await response.text();
    let body: unknown;
    try {
      body = text === '' ? {} : JSON.parse(text);
    } catch {
      // MSAL reads error fields from the body; an HTML error page becomes an empty object and
      // MSAL reports the status instead of a parse error that hides it.
      body = {};
    }
    return { headers, body: body as T, status: response.status };
  }
  return {
    sendGetRequestAsync: (url, options, timeout) => send(url, 'GET', options, timeout),
    sendPostRequestAsync: (url, options) => send(url, 'POST', options),
  };
}
