/**
 * Fetching an allowlist URL as the third-party input it is (docs/allowlists.md, "Fetching URLs
 * safely"): every host is resolved and judged before anything is sent to it, the connection goes to
 * the address judged, a redirect is checked before it is followed, and the body is read only up to
 * a cap. A refusal is `ALLOWLIST_URL_REFUSED` and a body over the cap `ALLOWLIST_RESPONSE_TOO_LARGE`,
 * neither retryable: the same URL will be refused again until the configuration changes.
 */
import { isIP } from 'node:net';
import { CredwatchError } from '../errors.js';
import { refusedAddress } from './address-policy.js';
import type { AllowlistHttp, ResolvedAddress } from './allowlist-http.js';

/** What may be reached, from the source's configuration. */
export interface UrlPolicy {
  /** Follow redirects to another https host (each still judged); same-origin redirects are always followed. */
  readonly allowRedirects: boolean;
  /** Connect to loopback, private, link-local and other non-public addresses. */
  readonly allowPrivateNetwork: boolean;
}

/** Options for {@link guardedGet}. */
export interface GuardedGetOptions {
  readonly http: AllowlistHttp;
  readonly policy: UrlPolicy;
  readonly signal: AbortSignal;
  readonly accept: string;
}

/** Enough for a CDN hop or two; a loop ends here instead of at the time limit. */
const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

const refused = (message: string, details: Record<string, unknown>) => new CredwatchError('ALLOWLIST_URL_REFUSED', message, { details });

/** Rejects as soon as `signal` aborts: `dns.lookup` takes no signal and can wait for seconds. */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((done, fail) => {
    const onAbort = () => fail(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(done, fail).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The address to connect to, after judging every address the host resolves to. */
async function checkedAddress(url: URL, options: GuardedGetOptions): Promise<ResolvedAddress> {
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(host);
  let addresses: readonly ResolvedAddress[];
  if (family !== 0) addresses = [{ address: host, family }];
  else {
    try {
      addresses = await abortable(options.http.lookup(host), options.signal);
    } catch (e: unknown) {
      if (options.signal.aborted) throw e;
      const reason = e instanceof Error ? e.message : String(e);
      throw new CredwatchError('ALLOWLIST_SOURCE_FAILED', `Could not resolve ${host}: ${reason}.`, { cause: e });
    }
  }
  const first = addresses[0];
  if (!first) throw new CredwatchError('ALLOWLIST_SOURCE_FAILED', `${host} resolves to no address.`);
  if (options.policy.allowPrivateNetwork) return first;
  // All or nothing: a name that also resolves to an internal address is not a vendor's public feed.
  for (const { address } of addresses) {
    const why = refusedAddress(address);
    if (why !== undefined) {
      throw refused(`${url.origin} resolves to ${address}, a ${why} address; not connecting (set allowPrivateNetwork only for a feed on your own network).`, {
        host,
        address,
      });
    }
  }
  return first;
}

/** Why a redirect from `from` to `to` is not followed, or undefined. */
function redirectProblem(from: URL, to: URL, policy: UrlPolicy): string | undefined {
  // Never to plain http, whatever the configuration: anyone on the path could add their network.
  if (from.protocol === 'https:' && to.protocol !== 'https:') return `to ${to.protocol}//${to.host}, which is not https`;
  if (to.protocol !== 'https:' && to.protocol !== 'http:') return `to a ${to.protocol} URL`;
  if (to.origin === from.origin) return undefined;
  if (!policy.allowRedirects) return `to another host (${to.origin}); set allowRedirects to follow redirects off ${from.host}`;
  if (to.protocol !== 'https:') return `to ${to.protocol}//${to.host}, which is not https`;
  return undefined;
}

/**
 * GETs `url`, following only redirects the policy allows, and returns the final response with its
 * body unread. Every hop's host is judged before the request to it is sent.
 */
export async function guardedGet(url: string, options: GuardedGetOptions): Promise<Response> {
  let current = new URL(url);
  for (let hops = 0; ; hops += 1) {
    const address = await checkedAddress(current, options);
    const response = await options.http.get(current, address, { signal: options.signal, headers: { accept: options.accept } });
    if (!REDIRECT_STATUSES.has(response.status)) return response;
    await response.body?.cancel();
    const location = response.headers.get('location');
    if (location === null) throw new CredwatchError('ALLOWLIST_SOURCE_FAILED', `${url} answered HTTP ${response.status} without a Location.`);
    if (hops >= MAX_REDIRECTS) throw refused(`${url} redirected more than ${MAX_REDIRECTS} times.`, { hops });
    let next: URL;
    try {
      next = new URL(location, current);
    } catch (e: unknown) {
      throw new CredwatchError('ALLOWLIST_SOURCE_FAILED', `${url} redirected to an invalid URL.`, { cause: e, retryable: false });
    }
    const problem = redirectProblem(current, next, options.policy);
    // The target's origin only: a Location's path and query may carry a signed token.
    if (problem !== undefined) throw refused(`${url} redirected ${problem}; not followed.`, { from: current.origin, to: next.origin });
    current = next;
  }
}

/**
 * Reads a body as text, up to `maxBytes`: a larger declared length is refused before reading, and
 * a body that grows past the cap is cancelled there, so no more than the cap is ever held.
 */
export async function readCapped(response: Response, source: string, maxBytes: number): Promise<string> {
  const tooLarge = () =>
    new CredwatchError('ALLOWLIST_RESPONSE_TOO_LARGE', `${source} sent more than ${maxBytes} bytes (maxBodyInBytes).`, { details: { maxBytes } });
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  const parts: string[] = [];
  for (let total = 0; ;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge();
    }
    parts.push(decoder.decode(value, { stream: true }));
  }
  parts.push(decoder.decode());
  return parts.join('');
}
