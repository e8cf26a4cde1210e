import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseConfig } from '../../src/config/index.js';
import type { Config, TenantConfig } from '../../src/config/types.js';
import { connectTenant, type TenantConnection } from '../../src/graph/connect.js';
import type { RetryPolicy } from '../../src/graph/retry.js';
import { createLogger, type Logger } from '../../src/logging.js';
import type { RunningSimulator } from '../../src/simulator/index.js';

/** A logger whose JSON lines the test can read back. */
export function captureLogger(level = 'debug'): { logger: Logger; lines: () => Record<string, unknown>[]; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = createLogger({ level, destination: stream });
  const text = () => chunks.join('');
  return {
    logger,
    text,
    lines: () =>
      text()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

export type AuthMode = 'certificate' | 'secret' | 'managedIdentity';

/**
 * A resolved configuration for one simulator tenant, made the way a user makes one: a JSON object
 * with paths to PEM files and env var names, validated by the real config module.
 */
export async function simulatorConfig(
  sim: RunningSimulator,
  mode: AuthMode,
  overrides: { certificatePem?: string; privateKeyPem?: string; clientSecret?: string; extra?: Record<string, unknown>; env?: Record<string, string> } = {},
): Promise<Config> {
  const dir = await mkdtemp(join(tmpdir(), 'credwatch-test-'));
  await writeFile(join(dir, 'ca.crt'), sim.caCertPem);
  await writeFile(join(dir, 'app.crt'), overrides.certificatePem ?? sim.credwatchApp.certificatePem);
  await writeFile(join(dir, 'app.key'), overrides.privateKeyPem ?? sim.credwatchApp.privateKeyPem);
  const auth =
    mode === 'certificate'
      ? { mode, clientId: sim.credwatchApp.clientId, certificatePath: 'app.crt', privateKeyPath: 'app.key' }
      : mode === 'secret'
        ? { mode, clientId: sim.credwatchApp.clientId, clientSecretEnv: 'TEST_CLIENT_SECRET' }
        : { mode };
  return parseConfig(
    {
      tenants: [
        {
          name: 'contoso',
          tenantId: sim.tenantId,
          endpoints: { authorityHost: sim.authorityHost, graphBaseUrl: sim.graphBaseUrl, caCertificatePath: 'ca.crt' },
          auth,
        },
      ],
      state: { type: 'memory' },
      ...overrides.extra,
    },
    { baseDir: dir, env: { TEST_CLIENT_SECRET: overrides.clientSecret ?? sim.credwatchApp.clientSecret, ...overrides.env } },
  );
}

/** Fast retries for tests: real waits, but short, so a Retry-After of 1 s is still honoured. */
export const FAST_RETRY: Partial<RetryPolicy> = { baseDelayInMs: 5, maxBackoffInMs: 50 };

export function connect(config: Config, logger: Logger, retry: Partial<RetryPolicy> = FAST_RETRY): TenantConnection {
  const tenant: TenantConfig | undefined = config.tenants[0];
  if (!tenant) throw new Error('no tenant');
  return connectTenant(tenant, { logger, retry });
}
