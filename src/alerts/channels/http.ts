import { CredwatchError } from '../../errors.js';
import type { FetchLike } from '../../graph/http.js';
import { parseRetryAfter } from '../../graph/retry.js';
import { redact, urlSecrets } from '../../redact.js';
import { readCapped } from './read-capped.js';

export interface PostJsonOptions {
  fetch: FetchLike;
  url: string;
  body: string;
  headers?: Record<string, string>;
  now: () => Date;
  /** Shown in errors instead of the URL, which may carry a signature (Teams Workflows URLs do). */
  channel: string;
  /** Other configured secrets the receiver could echo (a webhook's signing key); the URL's parts are always hidden. */
  secrets?: readonly string[];
}

/** Characters of a receiver's answer quoted in an error: enough for its reason, not a page. */
const REASON_CHARS = 300;

/**
 * POSTs a JSON body and classifies the answer the way the outbox needs: 2xx accepted; 429, 5xx,
 * timeouts and network errors retryable (with the server's Retry-After when it sent one); a
 * redirect and any other status permanent. Redirects are never followed: the redirected page's 200
 * would mark the alert sent while it reached nobody, and a 307 would re-post the signed body to
 * wherever the redirect points. Answers are read up to a small cap, and every error is redacted
 * (src/redact.ts), so neither the URL nor an echoed header reaches a log or the outbox.
 */
export async function postJson(options: PostJsonOptions): Promise<void> {
  const known = [...urlSecrets(options.url), ...(options.secrets ?? [])];
  let response: Response;
  try {
    response = await options.fetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...options.headers },
      body: options.body,
      redirect: 'manual',
    });
  } catch (e: unknown) {
    const reason = redact(e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e), known);
    // The original error is left out: its message and cause may quote the URL.
    throw new CredwatchError('CHANNEL_UNAVAILABLE', `${options.channel}: no answer (${reason})`);
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => undefined);
    throw redirected(options, response);
  }
  // Read even an accepted answer (usually empty) so the keep-alive connection goes back to the pool.
  const text = await readCapped(response);
  if (response.ok) return;
  const quoted = redact(text, known).replace(/\s+/g, ' ').trim().slice(0, REASON_CHARS);
  const reason = `${options.channel} answered ${response.status}${quoted ? `: ${quoted}` : ''}`;
  if (response.status === 429 || response.status >= 500) {
    const retryAfterInMs = parseRetryAfter(response.headers.get('retry-after'), options.now());
    throw new CredwatchError('CHANNEL_UNAVAILABLE', reason, {
      details: { status: response.status, ...(retryAfterInMs !== undefined ? { retryAfterInMs } : {}) },
    });
  }
  throw new CredwatchError('CHANNEL_REJECTED', reason, { details: { status: response.status } });
}

/** The redirect named by its target's host only: the rest of a Location can carry a token. */
function redirected(options: PostJsonOptions, response: Response): CredwatchError {
  const location = response.headers.get('location');
  let host: string | undefined;
  try {
    host = location === null ? undefined : new URL(location, options.url).host;
  } catch {
    host = undefined;
  }
  const target = host ? `to ${host}` : location === null ? 'without a Location' : 'to an unreadable Location';
  return new CredwatchError(
    'CHANNEL_REDIRECTED',
    `${options.channel} answered ${response.status}, a redirect ${target}; credwatch does not follow redirects, so the alert was not sent.`,
    { details: { status: response.status, ...(host ? { locationHost: host } : {}) } },
  );
}
