/**
 * Loopback servers standing in for vendor feeds and for the places a hostile feed points at: each
 * counts the requests it saw and the body bytes it handed to its socket, so a test can prove that
 * nothing was sent to a refused target and that an endless body stopped early.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { generateCertificate } from '../../src/simulator/pki.js';

/** A running server and what it saw. */
export interface FeedServer {
  readonly url: string;
  readonly port: number;
  /** Requests received, with their Host header. */
  readonly hosts: string[];
  /** Body bytes accepted by `res.write` so far. */
  bytesWritten: number;
  /** Responses closed, by ending them or by the client going away. */
  closed: number;
  close(): Promise<void>;
}

export type FeedHandler = (req: IncomingMessage, res: ServerResponse, server: FeedServer) => void;

/** A CA and a certificate for 127.0.0.1, localhost and feed.test signed by it. */
export async function testTls(): Promise<{ caCertificatePem: string; cert: string; key: string }> {
  const ca = await generateCertificate({ subject: 'credwatch feed test CA', isCa: true });
  const leaf = await generateCertificate({ subject: 'feed.test', issuer: ca, altNames: ['127.0.0.1', 'localhost', 'feed.test'] });
  return { caCertificatePem: ca.certificatePem, cert: leaf.certificatePem, key: leaf.privateKeyPem };
}

/** Starts a server on 127.0.0.1: https when `tls` is given. */
export async function startFeed(handler: FeedHandler, tls?: { cert: string; key: string }): Promise<FeedServer> {
  const feed = {
    url: '',
    port: 0,
    hosts: [] as string[],
    bytesWritten: 0,
    closed: 0,
    close: async (): Promise<void> => {
      server.closeAllConnections();
      await new Promise((done) => server.close(done));
    },
  };
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    feed.hosts.push(req.headers.host ?? '');
    res.once('close', () => (feed.closed += 1));
    handler(req, res, feed);
  };
  const server: Server = tls ? createHttpsServer({ cert: tls.cert, key: tls.key }, listener) : createHttpServer(listener);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  feed.port = (server.address() as AddressInfo).port;
  feed.url = `${tls ? 'https' : 'http'}://127.0.0.1:${feed.port}`;
  return feed;
}

/**
 * Writes `chunk` until the client goes away, honouring backpressure (so the count is what the
 * client's reading allowed, not what a loop could queue), pausing `pauseInMs` between chunks.
 */
export function writeForever(res: ServerResponse, feed: FeedServer, chunk: Buffer, pauseInMs = 0): void {
  const next = (): void => void (pauseInMs > 0 ? setTimeout(pump, pauseInMs) : setImmediate(pump));
  const pump = (): void => {
    if (res.destroyed) return;
    feed.bytesWritten += chunk.length;
    if (res.write(chunk)) next();
    else res.once('drain', next);
  };
  pump();
}
