import { rootCertificates } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';

/** The fetch signature credwatch uses for every outbound call (MSAL, Graph, later channels). */
export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export interface CreateFetchOptions {
  /**
   * An extra PEM trust anchor (the simulator's CA, or a TLS-inspecting proxy's). It is added to
   * Node's public roots for this client only — TLS verification is never switched off.
   */
  caCertificatePem?: string;
  /** Per-request timeout; a hung socket must not stall a scan forever. */
  timeoutInMs?: number;
}

/**
 * Builds a fetch bound to its own connection pool and trust store. We use undici's fetch (not the
 * global one) so the dispatcher and the fetch implementation always come from the same version.
 */
export function createFetch(options: CreateFetchOptions = {}): FetchLike {
  const ca = options.caCertificatePem ? [...rootCertificates, options.caCertificatePem] : undefined;
  const dispatcher = new Agent({
    connect: ca ? { ca } : {},
    keepAliveTimeout: 10_000,
  });
  const timeoutInMs = options.timeoutInMs ?? 60_000;
  return async (url, init = {}) => {
    const signal = init.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutInMs)]) : AbortSignal.timeout(timeoutInMs);
    // undici's RequestInit is structurally the DOM one plus `dispatcher`.
    const response = await undiciFetch(url, { ...(init as object), signal, dispatcher });
    return response as unknown as Response;
  };
}
