import { CredwatchError } from '../errors.js';
import type { GraphApi, GraphQuery } from './client.js';

/**
 * The Graph of one scan's collection stages, refusing every request once the scan's hard deadline
 * has passed. Each request is bounded on its own (a timeout, a bounded number of retries, page and
 * size caps: limits.ts), but many bounded requests can still outlast the Function's timeout, which
 * would kill the scan before it stores or reports anything. Past the deadline a stage fails with
 * SCAN_DEADLINE, is reported as not collected, and the scan goes on to commit and deliver.
 */
export function withDeadline(graph: GraphApi, deadlineMs: number, now: () => Date): GraphApi {
  const check = (path: string): void => {
    if (now().getTime() < deadlineMs) return;
    throw new CredwatchError(
      'SCAN_DEADLINE',
      `The scan reached its deadline (${new Date(deadlineMs).toISOString()}) while reading ${path}; what was not read is reported as not collected.`,
      {
        details: { path, deadline: new Date(deadlineMs).toISOString() },
      },
    );
  };
  async function* listPages<T, U = T>(path: string, query?: GraphQuery, mapItem?: (item: T) => U): AsyncGenerator<U[], void, undefined> {
    check(path);
    for await (const page of graph.listPages<T, U>(path, query, mapItem)) {
      yield page;
      check(path);
    }
  }
  return {
    stats: graph.stats,
    get: (path, query) => (check(path), graph.get(path, query)),
    post: (path, body, query) => (check(path), graph.post(path, body, query)),
    postJson: (path, body, query) => (check(path), graph.postJson(path, body, query)),
    listPages,
    async *list<T>(path: string, query: GraphQuery = {}) {
      for await (const page of listPages<T>(path, query)) yield* page;
    },
  };
}
