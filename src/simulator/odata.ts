/**
 * The OData subset Graph gives credwatch: `$select`, `$top` (capped per endpoint), `$filter` for the
 * forms credwatch sends, `$orderby`, and opaque `$skiptoken`s in absolute `@odata.nextLink`s.
 * Skip tokens are HMAC-sealed cursors, so garbage is rejected and a token expires (one hour on the
 * injected clock) like a real one.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The OData options of one request. */
export interface ODataQuery {
  /** System query options present, lowercase without `$` (`select`, `top`, …), for validation. */
  present: string[];
  select: string[] | undefined;
  top: number | undefined;
  skip: number | undefined;
  filter: string | undefined;
  orderBy: string | undefined;
  skipToken: string | undefined;
}

/** A query problem Graph answers with an error status (400 unless said otherwise). */
export class ODataError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** Extra `innerError` members some services add (e.g. the OData validator's own `message`). */
    readonly inner: Readonly<Record<string, string>> = {},
    readonly status = 400,
  ) {
    super(message);
  }
}

/** The system query options Graph knows; anything else in the query string is not one. */
const SYSTEM_OPTIONS = ['select', 'filter', 'top', 'skip', 'skiptoken', 'orderby', 'count', 'search', 'expand', 'format', 'deltatoken', 'apply', 'compute'];

const TOKEN_LIFETIME_IN_MS = 3_600_000;

/** Reads the OData options from a URL. */
export function parseQuery(url: URL): ODataQuery {
  const get = (name: string): string | undefined => {
    // Graph accepts system query options with or without the `$`; SDKs send `$`.
    const value = url.searchParams.get(`$${name}`) ?? url.searchParams.get(name);
    return value === null || value === '' ? undefined : value;
  };
  const present = [...new Set([...url.searchParams.keys()].map((k) => k.replace(/^\$/, '').toLowerCase()).filter((k) => SYSTEM_OPTIONS.includes(k)))];
  const topText = get('top');
  const top = topText === undefined ? undefined : Number(topText);
  if (top !== undefined && (!Number.isInteger(top) || top < 1)) {
    throw new ODataError('BadRequest', `Invalid page size specified: '${topText}'.`);
  }
  const skipText = get('skip');
  const skip = skipText === undefined ? undefined : Number(skipText);
  if (skip !== undefined && (!Number.isInteger(skip) || skip < 0)) throw new ODataError('BadRequest', `Invalid value for $skip: '${skipText}'.`);
  const select = get('select')
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return { present, select, top, skip, filter: get('filter'), orderBy: get('orderby'), skipToken: get('skiptoken') ?? get('skipToken') };
}

/**
 * Projects an object onto `$select`: only the named properties, as the `$select` example on
 * https://learn.microsoft.com/graph/api/application-list returns them (no `id` unless asked for).
 */
export function project<T extends object>(item: T, select: string[] | undefined): Record<string, unknown> {
  const source = item as Record<string, unknown>;
  if (!select) return { ...source };
  const out: Record<string, unknown> = {};
  for (const field of select) if (field in source) out[field] = source[field];
  return out;
}

/** Seals and opens skip tokens for one simulator instance. */
export class SkipTokens {
  private readonly secret = randomBytes(32);

  constructor(private readonly now: () => Date) {}

  /** Encodes a cursor into an opaque token. */
  seal(cursor: number): string {
    const payload = Buffer.from(JSON.stringify({ c: cursor, t: this.now().getTime() })).toString('base64url');
    return `${payload}.${this.mac(payload)}`;
  }

  /** Decodes a token; throws {@link ODataError} when it is garbage or expired. */
  open(token: string): number {
    const [payload = '', mac = ''] = token.split('.');
    const expected = Buffer.from(this.mac(payload));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      throw new ODataError('Directory_ExpiredPageToken', 'The specified page token value has expired and can no longer be included in your request.');
    }
    const parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { c: number; t: number };
    if (this.now().getTime() - parsed.t > TOKEN_LIFETIME_IN_MS) {
      throw new ODataError('Directory_ExpiredPageToken', 'The specified page token value has expired and can no longer be included in your request.');
    }
    return parsed.c;
  }

  private mac(payload: string): string {
    return createHmac('sha256', this.secret).update(payload).digest('base64url');
  }
}

/** The nextLink for the same request with a new skip token (absolute, on the simulator host). */
export function nextLink(baseUrl: string, url: URL, token: string): string {
  const params = new URLSearchParams(url.search);
  params.delete('$skiptoken');
  params.delete('$skipToken');
  params.delete('skiptoken');
  params.set('$skiptoken', token);
  // Keep `$` and `'` readable like Graph does; URLSearchParams would encode them.
  const query = params.toString().replace(/%24/g, '$').replace(/%27/g, "'").replace(/%2C/g, ',');
  return `${baseUrl}${url.pathname}?${query}`;
}

/** One `field op value` comparison from a `$filter`. */
export interface Comparison {
  field: string;
  op: 'eq' | 'ne' | 'ge' | 'gt' | 'le' | 'lt' | 'any' | 'startswith' | 'isof';
  value: string;
}

const COMPARISON = /^([A-Za-z][\w/.]*)\s+(eq|ne|ge|gt|le|lt)\s+(?:'((?:[^']|'')*)'|([^\s']+))$/;
const ANY = /^([A-Za-z][\w.]*(?:\/[A-Za-z]\w*)*)\/any\(\s*(\w+)\s*:\s*\2\s+eq\s+'([^']*)'\s*\)$/;
const STARTS_WITH = /^startswith\(\s*([A-Za-z][\w/]*)\s*,\s*'((?:[^']|'')*)'\s*\)$/i;
const IS_OF = /^isof\(\s*'([\w.]+)'\s*\)$/i;

function stripParens(text: string): string {
  let t = text.trim();
  while (t.startsWith('(') && t.endsWith(')') && balanced(t.slice(1, -1))) t = t.slice(1, -1).trim();
  return t;
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (depth < 0) return false;
  }
  return depth === 0;
}

/**
 * Parses a conjunction of simple comparisons (`a eq 'x' and b ge 2024-01-01T00:00:00Z`), lambda
 * `any` clauses, `startswith(a,'x')` and `isof('type')`. `or`, `not` and `in` are not parsed (a
 * simulator limit, answered as an invalid clause); whether a parsed clause is allowed is decided per
 * endpoint from the documented rules (graph/documented.ts).
 */
export function parseFilter(filter: string): Comparison[] {
  const clauses = stripParens(filter).split(/\s+and\s+/i);
  return clauses.map((raw) => {
    const clause = stripParens(raw);
    const any = ANY.exec(clause);
    if (any) return { field: any[1] ?? '', op: 'any', value: any[3] ?? '' };
    const startsWith = STARTS_WITH.exec(clause);
    if (startsWith) return { field: startsWith[1] ?? '', op: 'startswith', value: (startsWith[2] ?? '').replace(/''/g, "'") };
    const isOf = IS_OF.exec(clause);
    if (isOf) return { field: '@odata.type', op: 'isof', value: isOf[1] ?? '' };
    const cmp = COMPARISON.exec(clause);
    if (!cmp) throw new ODataError('BadRequest', `Invalid filter clause: '${clause}'.`);
    const value = cmp[3] !== undefined ? cmp[3].replace(/''/g, "'") : (cmp[4] ?? '');
    return { field: cmp[1] ?? '', op: cmp[2] as Comparison['op'], value };
  });
}
