/**
 * Azurite (the Azure Storage emulator, an npm dev dependency) started by a test file on loopback,
 * on ports the OS picks, with nothing written to disk. Tests talk to it with the real Azure SDK
 * clients and a connection string, exactly as a Function app talks to its storage account.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { packageRoot } from '../../src/package-root.js';

/** Azurite's documented development account (public, identical on every machine). */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface Azurite {
  /** A full storage connection string (blob, queue and table endpoints). */
  connectionString: string;
  blobEndpoint: string;
  queueEndpoint: string;
  tableEndpoint: string;
  /** SIGKILLs nothing: stops the emulator cleanly and waits for it to exit. */
  stop: () => Promise<void>;
}

const LISTENING = /Azurite (Blob|Queue|Table) service is successfully listening at (http:\/\/127\.0\.0\.1:\d+)/;

/** Starts Azurite with all three services; resolves once all of them listen. */
export async function startAzurite(): Promise<Azurite> {
  const bin = join(packageRoot(), 'node_modules', 'azurite', 'dist', 'src', 'azurite.js');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      bin,
      '--inMemoryPersistence',
      '--skipApiVersionCheck',
      '--disableTelemetry',
      '--loose',
      '--blobHost',
      '127.0.0.1',
      '--blobPort',
      '0',
      '--queueHost',
      '127.0.0.1',
      '--queuePort',
      '0',
      '--tableHost',
      '127.0.0.1',
      '--tablePort',
      '0',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const endpoints = new Map<string, string>();
  let output = '';
  const ready = new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      for (const line of output.split('\n')) {
        const m = LISTENING.exec(line);
        if (m?.[1] && m[2]) endpoints.set(m[1], m[2]);
      }
      if (endpoints.size === 3) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`azurite exited (${String(code)}) before listening:\n${output}`)));
    setTimeout(() => reject(new Error(`azurite did not start within 30 s:\n${output}`)), 30_000).unref();
  });
  try {
    await ready;
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
  const blobEndpoint = `${endpoints.get('Blob') ?? ''}/${AZURITE_ACCOUNT}`;
  const queueEndpoint = `${endpoints.get('Queue') ?? ''}/${AZURITE_ACCOUNT}`;
  const tableEndpoint = `${endpoints.get('Table') ?? ''}/${AZURITE_ACCOUNT}`;
  return {
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};` +
      `BlobEndpoint=${blobEndpoint};QueueEndpoint=${queueEndpoint};TableEndpoint=${tableEndpoint};`,
    blobEndpoint,
    queueEndpoint,
    tableEndpoint,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
