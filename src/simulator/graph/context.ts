/**
 * What every Graph handler needs, and the paging of in-memory collections shared by the directory
 * endpoints (offset cursors inside sealed skip tokens).
 */
import { graphError, jsonResponse, type SimRequest, type SimResponse } from '../http.js';
import { nextLink, project, type ODataQuery, type SkipTokens } from '../odata.js';
import type { SimulatorState } from '../state.js';

/** Shared dependencies of the Graph handlers. */
export interface GraphContext {
  baseUrl: string;
  state: SimulatorState;
  now: () => Date;
  skipTokens: SkipTokens;
  /** Wall-clock ms of the last named-locations request that was served (throttle). */
  lastNamedLocationsAt: number | undefined;
}

/** A parsed Graph request: version, path below it and OData options. */
export interface GraphCall {
  request: SimRequest;
  version: 'v1.0' | 'beta';
  /** Path after the version, e.g. `/servicePrincipals`. */
  path: string;
  query: ODataQuery;
}

/** Options for {@link pageOf}. */
export interface PageOptions {
  /** `@odata.context` fragment after `$metadata#`, e.g. `servicePrincipals`. */
  entitySet: string;
  defaultTop: number;
  maxTop: number;
  /** Rewrites each item before projection (e.g. to blank `key`). */
  shape?: (item: object) => object;
}

/** The `@odata.context` URL for a collection, with the `$select` list as Graph writes it. */
export function odataContext(context: GraphContext, call: GraphCall, entitySet: string): string {
  const selected = call.query.select ? `(${call.query.select.join(',')})` : '';
  return `${context.baseUrl}/${call.version}/$metadata#${entitySet}${selected}`;
}

/** One page of an in-memory collection, with a nextLink when more remain. */
export function pageOf(context: GraphContext, call: GraphCall, items: readonly object[], options: PageOptions): SimResponse {
  const offset = call.query.skipToken === undefined ? 0 : context.skipTokens.open(call.query.skipToken);
  const top = Math.min(call.query.top ?? options.defaultTop, options.maxTop);
  const slice = items.slice(offset, offset + top);
  const body: Record<string, unknown> = { '@odata.context': odataContext(context, call, options.entitySet) };
  if (offset + top < items.length) {
    body['@odata.nextLink'] = nextLink(context.baseUrl, call.request.url, context.skipTokens.seal(offset + top));
  }
  body.value = slice.map((item) => project(options.shape ? options.shape(item) : item, call.query.select));
  return jsonResponse(200, body);
}

/** A single entity with its `@odata.context`. */
export function entityOf(context: GraphContext, call: GraphCall, entitySet: string, item: object): SimResponse {
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
