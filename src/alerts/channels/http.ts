import { CredwatchError } from '../../errors.js';
import type { FetchLike } from '../../graph/http.js';
import { parseRetryAfter } from '../../graph/retry.js';

export interface PostJsonOptions {
  fetch: FetchLike;
  url: string;
  body: string;
  headers?: Record<string, string>;
  now: () => Date;
  /** Shown in errors instead of the URL, which may carry a signature (Teams Workflows URLs do). */
  channel: string;
}

/**
 * POSTs a JSON body and classifies the answer the way the outbox needs: 2xx accepted; 429, 5xx,
 * timeouts and network errors retryable (with the server's Retry-After when it sent one); any other
 * status permanent, with the response's reason. The URL never appears in an error or a log.
 */
export async function postJson(options: PostJsonOptions): Promise<Response> {
  let response: Response;
  try {
    response = await options.fetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', ...options.headers },
      body: options.body,
    });
  } catch (e: unknown) {
    const reason = e instanceof Error ? (e.cause instanceof Error ? e.cause.message : e.message) : String(e);
    throw new CredwatchError('CHANNEL_UNAVAILABLE', `${options.channel}: no answer (${reason.replace(options.url, '[url]')})`, { cause: e });
  }
  if (response.ok) return response;
  const text = (await response.text().catch(() => '')).slice(0, 300).replace(/\s+/g, ' ').trim();
  const reason = `${options.channel} answered ${response.status}${text ? `: ${text}` : ''}`;
  if (response.status === 429 || response.status >= 500) {
    const retryAfterInMs = parseRetryAfter(response.headers.get('retry-after'), options.now());
    throw new CredwatchError('CHANNEL_UNAVAILABLE', reason, {
      details: { status: response.status, ...(retryAfterInMs !== undefined ? { retryAfterInMs } : {}) },
    });
  }
  throw new CredwatchError('CHANNEL_REJECTED', reason, { details: { status: response.status } });
}
