/**
 * What every Graph handler needs, and the listing of in-memory collections shared by the directory
 * and policy endpoints: documented-rule checks, filter, sort, then paging with offset cursors
 * inside sealed skip tokens.
 */
import { graphError, jsonResponse, type SimRequest, type SimResponse } from '../http.js';
import { nextLink, project, type ODataQuery, type SkipTokens } from '../odata.js';
import type { SimulatorState } from '../state.js';
import { advancedQuery } from './advanced-query.js';
import { conform } from './conformance.js';
import type { DocumentedEndpoint } from './documented.js';
import { filterItems, sortItems } from './filtering.js';
import type { Throttles } from './throttle.js';

/** Shared dependencies of the Graph handlers. */
export interface GraphContext {
  baseUrl: string;
  state: SimulatorState;
  now: () => Date;
  skipTokens: SkipTokens;
  /** Graph's documented rate limits (wall clock), switchable per simulator. */
  throttles: Throttles;
}

/** A parsed Graph request: version, path below it and OData options. */
export interface GraphCall {
  request: SimRequest;
  version: 'v1.0' | 'beta';
  /** Path after the version, e.g. `/servicePrincipals`. */
  path: string;
  query: ODataQuery;
}

/** Options for {@link listOf}. */
export interface ListOptions {
  /** `@odata.context` fragment after `$metadata#`, e.g. `servicePrincipals`. */
  entitySet: string;
  /** Rewrites each item before projection (e.g. to blank `key`). */
  shape?: (item: object) => object;
  /** Replaces the default `$select` projection (derived-type casts on named locations). */
  project?: (item: object) => object;
}

/** The `@odata.context` URL for a collection, with the `$select` list as Graph writes it. */
export function odataContext(context: GraphContext, call: GraphCall, entitySet: string): string {
  const selected = call.query.select ? `(${call.query.select.join(',')})` : '';
  return `${context.baseUrl}/${call.version}/$metadata#${entitySet}${selected}`;
}

/** One page of an in-memory collection under `endpoint`'s documented rules, with a nextLink when more remain. */
export function listOf(context: GraphContext, call: GraphCall, endpoint: DocumentedEndpoint, items: readonly object[], options: ListOptions): SimResponse {
  const rules = conform(endpoint, call.query);
  const advanced = advancedQuery(endpoint, call);
  const searched = advanced.search ? items.filter(advanced.search) : items;
  const chosen = sortItems(filterItems(searched, rules.comparisons), rules.orderBy);
  // A skip token carries an absolute cursor, so `$skip` (kept in the nextLink) applies to the first page only.
  const offset = call.query.skipToken === undefined ? (call.query.skip ?? 0) : context.skipTokens.open(call.query.skipToken);
  const slice = chosen.slice(offset, offset + rules.top);
  const body: Record<string, unknown> = { '@odata.context': odataContext(context, call, options.entitySet) };
  if (advanced.count) body['@odata.count'] = chosen.length;
  if (offset + rules.top < chosen.length) {
    body['@odata.nextLink'] = nextLink(context.baseUrl, call.request.url, context.skipTokens.seal(offset + rules.top));
  }
  const projectItem = options.project ?? ((item: object) => project(item, call.query.select));
  body.value = slice.map((item) => projectItem(options.shape ? options.shape(item) : item));
  return jsonResponse(200, body);
}

/** A single entity with its `@odata.context`, after checking `endpoint`'s documented options. */
export function entityOf(context: GraphContext, call: GraphCall, endpoint: DocumentedEndpoint, entitySet: string, item: object): SimResponse {
  conform(endpoint, call.query);
  return jsonResponse(200, {
    '@odata.context': `${odataContext(context, call, entitySet)}/$entity`,
    ...project(item, call.query.select),
  });
}

/** Graph's 404 for a missing object. */
export function notFound(context: GraphContext, call: GraphCall, id: string): SimResponse {
  return graphError(
    call.request,
    404,
    'Request_ResourceNotFound',
    `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    context.now(),
  );
}
