import { SIGNIN_PAGE_SIZE } from '../src/collect/signins.js';
import type { FetchLike } from '../src/graph/http.js';
import { buildUrl } from '../src/graph/url.js';

/** What the fetch-and-parse floor read and how long it took. */
export interface FloorResult {
  seconds: number;
  /** CPU time of this process while reading (user + system, all threads). */
  cpuSeconds: number;
  pages: number;
  records: number;
  /** Response bytes (UTF-16 length of the bodies, close to bytes for this ASCII JSON). */
  characters: number;
}

/** Options of {@link fetchAndParseFloor}. */
export interface FloorOptions {
  /** The first page's URL, exactly as the scan builds it (filter, `$top`, beta). */
  firstUrl: string;
  /** A bearer token for the simulator, taken once: the floor measures paging, not MSAL. */
  token: string;
  /** The same transport the scan uses (undici, the simulator's CA, keep-alive). */
  fetch: FetchLike;
}

/**
 * The least any client must do to read a sign-in window: request each page over HTTPS, read its
 * body and `JSON.parse` it, following `@odata.nextLink`, one page after another. No SDK, no
 * normalising, no rules, no store. The scan bench divides its time by this one, so the ratio says
 * what credwatch adds on top of getting the bytes at all — including the server's time to build
 * each page, which is why the simulator has to be cheap for the floor to measure the client.
 */
export async function fetchAndParseFloor(options: FloorOptions): Promise<FloorResult> {
  const headers = { authorization: `Bearer ${options.token}`, accept: 'application/json' };
  let url: string | undefined = options.firstUrl;
  let pages = 0;
  let records = 0;
  let characters = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  while (url) {
    const response = await options.fetch(url, { headers });
    const text = await response.text();
    if (!response.ok) throw new Error(`floor: ${response.status} for page ${pages + 1}: ${text.slice(0, 200)}`);
    const page = JSON.parse(text) as { value: unknown[]; '@odata.nextLink'?: string };
    pages += 1;
    records += page.value.length;
    characters += text.length;
    url = page['@odata.nextLink'];
  }
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: cpuSecondsSince(cpu), pages, records, characters };
}

/**
 * Reads every page of a window without keeping or parsing it (only the head, for the nextLink), so
 * the simulator builds and keeps its pages before the timed runs while this process's heap stays
 * as it was: the scan's peak memory is measured in this process afterwards.
 */
export async function readPagesOnce(options: FloorOptions): Promise<FloorResult> {
  const headers = { authorization: `Bearer ${options.token}`, accept: 'application/json' };
  let url: string | undefined = options.firstUrl;
  let pages = 0;
  let characters = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  while (url) {
    const response = await options.fetch(url, { headers });
    if (!response.ok || !response.body) throw new Error(`warm-up: ${response.status} for page ${pages + 1}`);
    const decoder = new TextDecoder();
    let head = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      // The simulator writes `value` last, so the context and nextLink are in the first bytes.
      if (!head.includes('"value":')) head += decoder.decode(chunk, { stream: true });
      characters += chunk.length;
    }
    const end = head.indexOf(',"value":');
    if (end < 0) throw new Error(`warm-up: page ${pages + 1} has no value array`);
    url = (JSON.parse(`${head.slice(0, end)}}`) as { '@odata.nextLink'?: string })['@odata.nextLink'];
    pages += 1;
  }
  return { seconds: (performance.now() - started) / 1000, cpuSeconds: cpuSecondsSince(cpu), pages, records: Number.NaN, characters };
}

/**
 * The first sign-in page of `[from, to]` as `readSignInPages` (src/collect/signins.ts) asks for it.
 * The bench checks that the floor read as many records as the scan, so a drift here shows up.
 */
export function signInWindowUrl(graphBaseUrl: string, from: Date, to: Date): string {
  const filter = `signInEventTypes/any(t: t eq 'servicePrincipal') and createdDateTime ge ${from.toISOString()} and createdDateTime le ${to.toISOString()}`;
  return buildUrl(new URL(graphBaseUrl), '/auditLogs/signIns', { version: 'beta', filter, top: SIGNIN_PAGE_SIZE });
}

function cpuSecondsSince(before: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(before);
  return Number(((used.user + used.system) / 1e6).toFixed(1));
}
