import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as a hostile receiver saw it. */
export interface Seen {
  method: string;
  /** Path and query, as sent. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface HostileReceiver {
  url: string;
  requests: Seen[];
  /** Body bytes the kernel accepted from this server (what the client could at most have read). */
  bytesWritten(): number;
  /** Whether the client hung up before a streamed body was complete. */
  hungUp(): boolean;
  close(): Promise<void>;
}

type Answer = (seen: Seen, res: ServerResponse, count: (bytes: number) => void, hungUp: () => void) => void;

/** A real HTTP receiver on 127.0.0.1 that answers every request with `answer`. */
export async function startHostileReceiver(answer: Answer): Promise<HostileReceiver> {
  const requests: Seen[] = [];
  let written = 0;
  let hungUp = false;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      requests.push(seen);
      answer(
        seen,
        res,
        (bytes) => (written += bytes),
        () => (hungUp = true),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    bytesWritten: () => written,
    hungUp: () => hungUp,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers with a redirect to `location`. */
export const redirectTo =
  (status: number, location: string): Answer =>
  (_seen, res) => {
    res.writeHead(status, { location, 'content-type': 'text/plain' });
    res.end(`Moved to ${location}`);
  };

/** Answers `status` with the request echoed back: URL, headers and body, as a debugging proxy does. */
export const echoRequest =
  (status: number): Answer =>
  (seen, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'rejected', request: seen }));
  };

/**
 * Answers `status` with a body of `totalBytes`, written as fast as the client takes it (waiting for
 * `drain`), and stops writing once the client hangs up. Counts the bytes the kernel accepted.
 */
export const streamBody =
  (status: number, totalBytes: number): Answer =>
  (_seen, res, count, hungUp) => {
    const chunk = Buffer.alloc(64 * 1024, 'x');
    let sent = 0;
    let closed = false;
    res.on('close', () => {
      closed = true;
      if (sent < totalBytes) hungUp();
    });
    res.writeHead(status, { 'content-type': 'text/plain' });
    const pump = (): void => {
      while (!closed && sent < totalBytes) {
        sent += chunk.length;
        const more = res.write(chunk, (e) => {
          if (!e) count(chunk.length);
        });
        if (!more) {
          res.once('drain', pump);
          return;
        }
      }
      if (!closed) res.end();
    };
    pump();
  };
