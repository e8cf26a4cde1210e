import { CredwatchError } from '../errors.js';

/**
 * How much of Graph credwatch reads before it stops: a fault probe showed a 200 MB page taking the
 * process to 930 MB, and an endless chain of fresh nextLinks running for ever. Real pages are far
 * below both: a page of 1,000 full sign-in records is a few MB
 * (https://learn.microsoft.com/graph/api/signin-list), 999 service principals less.
 */
export interface GraphLimits {
  /** Bytes of one answer's body. */
  maxResponseBytes: number;
  /** Pages of one collection listing (10,000 pages of 999 service principals is ten million). */
  maxPages: number;
}

export const DEFAULT_GRAPH_LIMITS: GraphLimits = { maxResponseBytes: 64 * 1024 * 1024, maxPages: 10_000 };

const tooLarge = (path: string, maxBytes: number, declared?: number): CredwatchError =>
  new CredwatchError(
    'GRAPH_RESPONSE_TOO_LARGE',
    `Graph's answer for ${path} ${declared !== undefined ? `declares ${declared} bytes` : 'went on'} past the ${maxBytes}-byte limit; credwatch stopped reading it.`,
    { details: { path, maxBytes, ...(declared !== undefined ? { declared } : {}) } },
  );

/**
 * The answer with a body that fails once more than `maxBytes` have arrived (or at once, when its
 * Content-Length says so), and the rest is never read. The streaming page reader gets
 * GRAPH_RESPONSE_TOO_LARGE itself; the Graph client's JSON parse turns any stream error into a
 * GraphError of status 200 (which would be retried as a bad body), so the error is also handed to
 * `onExceeded`, for the request's sender to raise instead.
 */
export function capResponse(response: Response, maxBytes: number, path: string, onExceeded: (error: CredwatchError) => void): Response {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    void response.body?.cancel().catch(() => undefined);
    const error = tooLarge(path, maxBytes, declared);
    onExceeded(error);
    throw error;
  }
  if (!response.body) return response;
  // Pulled only when its reader asks (high-water mark 0): a prefetched page's body stays in the
  // socket until the page is wanted, as it would without the cap (client.ts, listPages).
  const source = response.body.getReader();
  let seen = 0;
  const counted = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await source.read();
        if (done) return controller.close();
        seen += value.byteLength;
        if (seen <= maxBytes) return controller.enqueue(value);
        const error = tooLarge(path, maxBytes);
        onExceeded(error);
        controller.error(error);
        await source.cancel(error).catch(() => undefined);
      },
      cancel: (reason) => source.cancel(reason),
    },
    { highWaterMark: 0 },
  );
  return new Response(counted, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** Fails the listing when it asks for one page more than the limit. */
export function tooManyPages(path: string, maxPages: number): CredwatchError {
  return new CredwatchError('GRAPH_TOO_MANY_PAGES', `Graph kept returning new pages for ${path} past ${maxPages}; credwatch stopped following its links.`, {
    details: { path, maxPages },
  });
}
