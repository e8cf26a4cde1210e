/**
 * `$count` and `$search` on directory collections, which Graph serves only as "advanced queries":
 * with the `ConsistencyLevel: eventual` header (https://learn.microsoft.com/graph/aad-advanced-queries;
 * application-list: "This header and `$count` are required when using `$search`"). Without it,
 * `$count` is refused as microsoft-graph-docs-contrib#2716 shows ("$count is not currently
 * supported.") and `$search` with Graph's usual sentence naming the header (silent in the docs).
 * `$search="displayName:web"` matches a word of the property that starts with the term, the
 * tokenized search the page describes; terms join with AND or OR.
 */
import { ODataError } from '../odata.js';
import type { GraphCall } from './context.js';
import type { DocumentedEndpoint } from './documented.js';
import { valueAt } from './filtering.js';

/** What the advanced options ask of a listing: the searched items and whether to count them. */
export interface AdvancedQuery {
  search: ((item: object) => boolean) | undefined;
  count: boolean;
}

function searchTerms(search: string): (item: object) => boolean {
  const any = /\sOR\s/.test(search);
  const terms = search.split(/\s(?:AND|OR)\s/).map((part) => {
    const match = /^\s*"([\w/]+):([^"]*)"\s*$/.exec(part);
    if (!match) throw new ODataError('Request_UnsupportedQuery', `Syntax error: the $search value '${search}' is not supported.`);
    return { property: match[1] ?? '', term: (match[2] ?? '').toLowerCase() };
  });
  const hit = (item: object, t: { property: string; term: string }) =>
    String(valueAt(item, t.property) ?? '')
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .some((word) => word.startsWith(t.term));
  return (item) => (any ? terms.some((t) => hit(item, t)) : terms.every((t) => hit(item, t)));
}

/** Reads `$count`/`$search` for `endpoint`; throws the refusal when the header is missing. */
export function advancedQuery(endpoint: DocumentedEndpoint, call: GraphCall): AdvancedQuery {
  const url = call.request.url.searchParams;
  const search = url.get('$search') ?? url.get('search') ?? undefined;
  const count = (url.get('$count') ?? url.get('count')) === 'true';
  if (endpoint.family !== 'directory' || (search === undefined && !count)) return { search: undefined, count };
  const eventual = call.request.headers.consistencylevel?.toLowerCase() === 'eventual';
  if (!eventual && count) throw new ODataError('Request_BadRequest', '$count is not currently supported.');
  if (!eventual)
    throw new ODataError(
      'Request_BadRequest',
      "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'",
    );
  return { search: search === undefined ? undefined : searchTerms(search), count };
}
