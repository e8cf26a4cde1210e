import { rootCertificates } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';

/** The fetch signature credwatch uses for every outbound call (MSAL, Graph, later channels). */
export type FetchLike = (url: string, init?: RequestInit) => Promise<Response>;

export interface CreateFetchOptions {
  /**
   * An extra PEM trust anchor (the simulator's CA, or a TLS-inspecting proxy's). It is added to
   * Node's public roots for this client only — TLS verification is never switched off.
   */
  caCertificatePem?: string;
  /** Per-request timeout; a hung socket must not stall a scan forever. */
  timeoutInMs?: number;
}

/**
 * Builds a fetch bound to its own connection pool and trust store. We use undici's fetch (not the
 * global one) so the dispatcher and the fetch implementation always come from the same version.
 */
export function createFetch(options: CreateFetchOptions = {}): FetchLike {
  const ca = options.caCertificatePem ? [...rootCertificates, options.caCertificatePem] : undefined;
  const dispatcher = new Agent({
    connect: ca ? { ca } : {},
    keepAliveTimeout: 10_000,
  });
  const timeoutInMs = options.timeoutInMs ?? 60_000;
  return async (url, init = {}) => {
    const signal = init.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutInMs)]) : AbortSignal.timeout(timeoutInMs);
    // undici's RequestInit is structurally the DOM one plus `dispatcher`.
    const response = await undiciFetch(url, { ...(init as object), signal, dispatcher });
    return response as unknown as Response;
  };
}

/** A body that is not the JSON object its reader expected (cut short, malformed, not an object). */
export class MalformedJsonError extends Error {
  override readonly name = 'MalformedJsonError';
}

const QUOTE = 0x22;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

/**
 * Splits a JSON object, written as text in pieces of any size, into the elements of one array
 * member — each handed to `onElement` as its JSON text the moment it is complete — and the rest of
 * the object, returned by {@link end} with that array empty. A collection page's items can so be
 * parsed and reduced one by one while the page is still arriving: no copy of the whole body, as
 * text or as parsed objects, is ever built, and each item's objects die young in V8's new space
 * instead of being promoted with the page. Only the structure is tracked here; each element and the
 * rest go through JSON.parse, which rejects anything else that is malformed.
 */
export class JsonArrayMemberSplitter {
  private depth = 0;
  private inString = false;
  /** The last piece ended with a backslash inside a string: the next piece's first character is escaped. */
  private escaped = false;
  /** At depth 1 the next string is a member name; `key` is the last one read. */
  private expectKey = false;
  private inKey = false;
  private key = '';
  /** After `"<arrayKey>":` at depth 1, until that member's value starts. */
  private afterArrayKey = false;
  private inArray = false;
  private arraySeen = false;
  /** An element has started and not ended (its text so far is in `element`). */
  private elementOpen = false;
  private element = '';
  /** A comma ended the last element: another must follow. */
  private needElement = false;
  /** The object's text without the array's elements. */
  private rest = '';
  private closed = false;

  constructor(
    private readonly arrayKey: string,
    private readonly onElement: (json: string) => void,
  ) {}

  write(chunk: string): void {
    const n = chunk.length;
    if (n === 0) return;
    let i = 0;
    if (this.escaped) {
      this.escaped = false;
      i = 1;
    }
    let depth = this.depth;
    let inString = this.inString;
    // Where, in this piece, the text still to be added to the rest, the open element and the key starts.
    let restFrom = this.inArray ? -1 : 0;
    let elementFrom = this.elementOpen ? 0 : -1;
    let keyFrom = this.inKey ? 0 : -1;
    // The next backslash at or after i (n: none left), found once and reused: most strings have none.
    let backslash = -2;
    for (; i < n; i += 1) {
      if (inString) {
        // Jump to the string's end with indexOf (native) instead of looking at each character:
        // most of a page is inside strings.
        const quote = chunk.indexOf('"', i);
        const end = quote < 0 ? n : quote;
        if (backslash < i) backslash = chunk.indexOf('\\', i);
        if (backslash < 0) backslash = n;
        if (backslash < end) {
          // Skip the escaped character (in the next piece when this one ends here).
          if (backslash + 1 === n) this.escaped = true;
          i = backslash + 1;
          continue;
        }
        if (quote < 0) {
          i = n;
          break;
        }
        i = quote;
        inString = false;
        if (keyFrom >= 0) {
          this.key += chunk.slice(keyFrom, i);
          // A name written with escapes (`"val\u0075e"`) is the same name.
          if (this.key.includes('\\')) this.key = JSON.parse(`"${this.key}"`) as string;
          keyFrom = -1;
          this.inKey = false;
        }
        continue;
      }
      const c = chunk.charCodeAt(i);
      if (depth > 2) {
        // Inside an element (or another member's value): only strings and nesting matter.
        if (c === QUOTE) {
          // The common string, without a backslash before its end, is skipped here at once.
          const quote = chunk.indexOf('"', i + 1);
          if (backslash <= i) backslash = chunk.indexOf('\\', i + 1);
          if (backslash < 0) backslash = n;
          if (quote >= 0 && quote < backslash) i = quote;
          else inString = true;
        } else if (c === OPEN_BRACE || c === OPEN_BRACKET) depth += 1;
        else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) depth -= 1;
        continue;
      }
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
      if (this.closed) throw new MalformedJsonError('text after the end of the object');
      if (depth === 0) {
        if (c !== OPEN_BRACE) throw new MalformedJsonError('not a JSON object');
        depth = 1;
        this.expectKey = true;
        continue;
      }
      if (this.inArray && depth === 2) {
        // Between elements: a comma or the closing bracket ends the open one.
        if (c === COMMA || c === CLOSE_BRACKET) {
          if (elementFrom >= 0) {
            const text = this.element + chunk.slice(elementFrom, i);
            this.element = '';
            this.elementOpen = false;
            elementFrom = -1;
            this.onElement(text);
          } else if (c === COMMA || this.needElement) {
            throw new MalformedJsonError(`an empty element in "${this.arrayKey}"`);
          }
          this.needElement = c === COMMA;
          if (c === CLOSE_BRACKET) {
            depth = 1;
            this.inArray = false;
            restFrom = i;
          }
          continue;
        }
        if (c === CLOSE_BRACE) throw new MalformedJsonError(`a brace closes "${this.arrayKey}"`);
        if (elementFrom < 0) {
          elementFrom = i;
          this.elementOpen = true;
          this.needElement = false;
        }
      }
      if (c === QUOTE) {
        inString = true;
        if (depth === 1 && this.expectKey) {
          this.expectKey = false;
          this.inKey = true;
          this.key = '';
          keyFrom = i + 1;
        }
        if (depth === 1) this.afterArrayKey = false;
      } else if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        if (depth === 1 && this.afterArrayKey && c === OPEN_BRACKET) {
          if (this.arraySeen) throw new MalformedJsonError(`"${this.arrayKey}" twice`);
          // The elements are left out of the rest: its `[` is kept here, its `]` when it closes.
          this.rest += chunk.slice(restFrom, i + 1);
          restFrom = -1;
          this.inArray = true;
          this.arraySeen = true;
          this.needElement = false;
        }
        if (depth === 1) this.afterArrayKey = false;
        depth += 1;
      } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        depth -= 1;
        if (depth === 0) {
          if (c !== CLOSE_BRACE) throw new MalformedJsonError('a bracket closes the object');
          this.closed = true;
        }
      } else if (depth === 1) {
        if (c === COLON) this.afterArrayKey = this.key === this.arrayKey;
        else if (c === COMMA) this.expectKey = true;
        else this.afterArrayKey = false;
      }
    }
    if (restFrom >= 0) this.rest += chunk.slice(restFrom);
    if (elementFrom >= 0) this.element += chunk.slice(elementFrom);
    if (keyFrom >= 0) this.key += chunk.slice(keyFrom);
    this.depth = depth;
    this.inString = inString;
  }

  /** The object without the array's elements (`[]` in their place); throws unless the whole object was written. */
  end(): Record<string, unknown> {
    if (!this.closed) throw new MalformedJsonError('the object is cut short');
    try {
      return JSON.parse(this.rest) as Record<string, unknown>;
    } catch (e: unknown) {
      throw new MalformedJsonError(e instanceof Error ? e.message : String(e));
    }
  }
}

/**
 * Reads a response body that is a JSON object as it streams in, handing each element of its array
 * member `arrayKey` to `onElement` (JSON text) as soon as it is complete; returns the rest of the
 * object. Throws {@link MalformedJsonError} for a body that is not such an object, and whatever the
 * stream throws (a reset connection, an abort) as it is.
 */
export async function readJsonArrayMember(
  body: AsyncIterable<Uint8Array>,
  arrayKey: string,
  onElement: (json: string) => void,
): Promise<Record<string, unknown>> {
  const splitter = new JsonArrayMemberSplitter(arrayKey, onElement);
  // Not fatal, as undici's own text() and json(): a stray invalid byte becomes U+FFFD.
  const decoder = new TextDecoder();
  for await (const bytes of body) splitter.write(decoder.decode(bytes, { stream: true }));
  splitter.write(decoder.decode());
  return splitter.end();
}
