/**
 * The sockets: one HTTPS server for login + Graph (TLS certificate signed by a per-run CA) and one
 * plain HTTP server for the managed-identity endpoint. Every request is read fully, recorded, run
 * through latency and fault rules, then routed.
 */
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { HTML_ERROR_PAGE, type FaultEngine, type FaultRule } from './faults.js';
import { fractionalSeconds, tooManyRequests } from './graph/throttle.js';
import { codeForStatus, graphError, newRequestId, type SimHandler, type SimRequest, type SimResponse } from './http.js';
import type { SimulatorState } from './state.js';

/** Reads a request into a {@link SimRequest}. */
async function readRequest(req: IncomingMessage, origin: string): Promise<SimRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  return {
    method: req.method ?? 'GET',
    url: new URL(req.url ?? '/', origin),
    headers,
    body: Buffer.concat(chunks).toString('utf8'),
    requestId: newRequestId(),
  };
}

function write(res: ServerResponse, request: SimRequest, response: SimResponse): void {
  const body = Buffer.from(response.body, 'utf8');
  res.writeHead(response.status, {
    ...response.headers,
    'request-id': request.requestId,
    'client-request-id': request.headers['client-request-id'] ?? request.requestId,
    'content-length': String(body.length),
  });
  res.end(body);
}

/** The answer of a `status` fault rule; a fractional Retry-After 429 uses Microsoft's sample body. */
function faultResponse(request: SimRequest, rule: FaultRule, now: Date): SimResponse {
  const status = rule.status ?? 503;
  if (rule.retryAfterSeconds !== undefined) {
    const headers = { 'retry-after': fractionalSeconds(rule.retryAfterSeconds * 1000) };
    if (status === 429) return tooManyRequests(request, now, headers);
    return graphError(request, status, codeForStatus(status), `Simulated fault (HTTP ${status}).`, now, headers);
  }
  const headers: Record<string, string> = rule.retryAfter === undefined ? {} : { 'retry-after': rule.retryAfter };
  const echo = rule.echoRequest ? ` Request: ${request.method} ${request.url.pathname}${request.url.search} ${JSON.stringify(request.headers)}` : '';
  const message = `${status === 429 ? 'Too many requests.' : `Simulated fault (HTTP ${status}).`}${echo}`;
  return graphError(request, status, codeForStatus(status), message, now, headers);
}

/** What {@link listen} wires together. */
export interface ServerOptions {
  state: SimulatorState;
  faults: FaultEngine | undefined;
  now: () => Date;
  handler: SimHandler;
}

/** Turns a handler into a Node request listener with recording and faults. */
function listener(options: ServerOptions, origin: () => string) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    void (async () => {
      const request = await readRequest(req, origin());
      const record = (status: number, clientId?: string): void => {
        const { pathname, search } = request.url;
        options.state.requests.push({ method: request.method, path: pathname, query: search.replace(/^\?/, ''), status, at: options.now(), clientId });
      };
      const faults = options.faults;
      if (faults && faults.latency > 0) await sleep(faults.latency);
      const rule = faults?.pick(`${request.url.pathname}${request.url.search}`);
      if (rule?.kind === 'reset') {
        record(0);
        req.socket.destroy();
        return;
      }
      if (rule?.kind === 'status') {
        const response = faultResponse(request, rule, options.now());
        write(res, request, response);
        record(response.status);
        return;
      }
      if (rule?.kind === 'hugeBody') {
        record(200);
        await streamHugeBody(res, rule.bytes ?? 200 * 1024 * 1024, rule.declareLength ?? false, options.faults!);
        return;
      }
      if (rule?.kind === 'endlessLinks' || rule?.kind === 'redirect') {
        const { pathname } = request.url;
        const next = `${origin()}${pathname}?$skiptoken=${randomUUID()}`;
        const response: SimResponse =
          rule.kind === 'redirect'
            ? { status: 307, headers: { location: rule.location ?? next }, body: '' }
            : { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ value: [], '@odata.nextLink': next }) };
        write(res, request, response);
        record(response.status);
        return;
      }
      let response = await options.handler(request);
      if (rule?.kind === 'truncate') {
        response = { ...response, status: 200, body: response.body.slice(0, Math.max(1, Math.floor(response.body.length / 2))) };
      } else if (rule?.kind === 'html200') {
        response = { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: HTML_ERROR_PAGE, clientId: response.clientId };
      }
      write(res, request, response);
      record(response.status, response.clientId);
    })().catch((error: unknown) => {
      // A bug in the simulator must be visible to the test, not hang it.
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(error instanceof Error ? (error.stack ?? error.message) : String(error));
    });
  };
}

/**
 * A 200 page of `bytes` padding (JSON whitespace before the value array), written as fast as the
 * client reads it and stopped when the client goes away: the bytes that left are counted, so a
 * test can tell how much a client read before it gave up.
 */
async function streamHugeBody(res: ServerResponse, bytes: number, declareLength: boolean, faults: FaultEngine): Promise<void> {
  const tail = '{"value":[]}';
  res.writeHead(200, { 'content-type': 'application/json', ...(declareLength ? { 'content-length': String(bytes + tail.length) } : {}) });
  const chunk = Buffer.alloc(64 * 1024, 0x20);
  let left = bytes;
  while (left > 0 && !res.destroyed) {
    const piece = left >= chunk.length ? chunk : chunk.subarray(0, left);
    left -= piece.length;
    faults.bytesWritten += piece.length;
    if (!res.write(piece))
      await new Promise<void>((resolve) => {
        res.once('drain', resolve);
        res.once('close', resolve);
      });
  }
  if (!res.destroyed) res.end(tail);
}

/** Starts the HTTPS server on 127.0.0.1 and resolves with it and its base URL. */
export async function listenHttps(options: ServerOptions, tls: { cert: string; key: string }, port: number): Promise<{ server: Server; url: string }> {
  let url = '';
  const server = createHttpsServer(
    { cert: tls.cert, key: tls.key },
    listener(options, () => url),
  );
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, url };
}

/** Starts the plain-HTTP managed-identity server on 127.0.0.1. */
export async function listenHttp(options: ServerOptions): Promise<{ server: Server; url: string }> {
  let url = '';
  const server = createHttpServer(listener(options, () => url));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { server, url };
}

/** Closes a server, dropping keep-alive connections so tests end promptly. */
export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
