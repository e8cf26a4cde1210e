import { CredwatchError } from '../errors.js';

export interface GraphQuery {
  version?: 'v1.0' | 'beta';
  select?: readonly string[];
  filter?: string;
  top?: number;
  orderby?: string;
  headers?: Record<string, string>;
}

/** Builds an absolute Graph URL; OData values are percent-encoded so a quote or `&` cannot break out. */
export function buildUrl(base: URL, path: string, query: GraphQuery): string {
  const params: string[] = [];
  if (query.select && query.select.length > 0) params.push(`$select=${query.select.map(encodeURIComponent).join(',')}`);
  if (query.filter) params.push(`$filter=${encodeURIComponent(query.filter)}`);
  if (query.orderby) params.push(`$orderby=${encodeURIComponent(query.orderby)}`);
  if (query.top !== undefined) params.push(`$top=${query.top}`);
  const cleanPath = path.startsWith('/') ? path : `/${path}`;
  return `${base.origin}/${query.version ?? 'v1.0'}${cleanPath}${params.length > 0 ? `?${params.join('&')}` : ''}`;
}

/** Quotes a value for an OData string literal (a single quote is doubled). */
export function odataString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * A nextLink is followed only to the configured Graph origin over https (our bearer token goes
 * with it), and never twice: a repeating link would page forever.
 */
export function checkNextLink(base: URL, next: unknown, seen: ReadonlySet<string>): string {
  if (typeof next !== 'string' || next === '') {
    throw new CredwatchError('GRAPH_BAD_RESPONSE', 'Graph returned an @odata.nextLink that is not a string.');
  }
  let url: URL;
  try {
    url = new URL(next);
  } catch (e: unknown) {
    throw new CredwatchError('GRAPH_BAD_RESPONSE', 'Graph returned an @odata.nextLink that is not a URL.', { cause: e });
  }
  if (url.protocol !== 'https:' || url.origin !== base.origin) {
    throw new CredwatchError('GRAPH_FOREIGN_LINK', `Refusing to follow @odata.nextLink to ${url.protocol}//${url.host}; only ${base.origin} is trusted.`, {
      details: { host: url.host, expected: base.host },
    });
  }
  if (seen.has(next)) {
    throw new CredwatchError('GRAPH_PAGINATION_LOOP', `Graph repeated the @odata.nextLink for ${url.pathname}.`, { details: { path: url.pathname } });
  }
  return next;
}
