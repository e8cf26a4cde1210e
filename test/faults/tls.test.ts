/**
 * NODE_TLS_REJECT_UNAUTHORIZED=0 in the environment turns Node's certificate checks off for every
 * connection (https://nodejs.org/api/cli.html#node_tls_reject_unauthorizedvalue). The CLI (a real
 * child process) and the Function app's handlers must refuse to run with it unless told otherwise.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvocationContext, type Timer } from '@azure/functions';
import { beforeAll, describe, expect, it } from 'vitest';
import { scanTimerHandler } from '../../src/functions/handlers.js';
import { createRuntime, lazyRuntime } from '../../src/functions/runtime.js';
import { credwatch } from '../helpers/cli.js';

let dir: string;
let config: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credwatch-faults-tls-'));
  config = join(dir, 'credwatch.json');
  // status reads only the state store: nothing here needs a tenant that answers.
  const tenant = { name: 'contoso', tenantId: 'contoso.onmicrosoft.com', auth: { mode: 'managedIdentity' } };
  await writeFile(config, JSON.stringify({ tenants: [tenant], state: { type: 'memory' } }));
});

/** Runs the Function app's scan timer once against `env`, as the host would; returns what it logged. */
async function scanTimerWith(env: NodeJS.ProcessEnv): Promise<{ error: unknown; logged: string[] }> {
  const logged: string[] = [];
  const context = new InvocationContext({
    invocationId: randomUUID(),
    functionName: 'scanTimer',
    logHandler: (level, ...args) => logged.push(`${level} ${args.join(' ')}`),
  });
  const timer: Timer = { isPastDue: false, schedule: { adjustForDST: false }, scheduleStatus: { last: '', next: '', lastUpdated: '' } };
  const runtime = lazyRuntime(() => createRuntime({ env, appRoot: dir }));
  const error = await scanTimerHandler(runtime)(timer, context).then(
    () => undefined,
    (e: unknown) => e,
  );
  return { error, logged };
}

describe('certificate checks turned off from the environment', () => {
  it('the CLI refuses to run with NODE_TLS_REJECT_UNAUTHORIZED=0, exits 2 and says why and how to proceed', async () => {
    const result = await credwatch(['--config', config, 'status'], { NODE_TLS_REJECT_UNAUTHORIZED: '0' });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('credwatch: TLS_VERIFICATION_DISABLED: NODE_TLS_REJECT_UNAUTHORIZED=0 is set in the environment');
    expect(result.stderr).toContain('accepts any certificate on every TLS connection');
    expect(result.stderr).toContain('pass --insecure-tls-i-know');
  });

  it('the CLI runs with --insecure-tls-i-know and warns that certificate checks are off', async () => {
    const result = await credwatch(['--config', config, '--insecure-tls-i-know', 'status'], { NODE_TLS_REJECT_UNAUTHORIZED: '0' });
    // The command itself ran: a memory store has no scan history (exit 1, README: status).
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('contoso: NO SCAN in the last 30 days');
    expect(result.stderr).toContain('credwatch: WARNING: NODE_TLS_REJECT_UNAUTHORIZED=0 is set');
    expect(result.stderr).toContain('Certificate checks are OFF for this run');
  });

  it('the CLI runs as usual when NODE_TLS_REJECT_UNAUTHORIZED is anything but 0', async () => {
    const result = await credwatch(['--config', config, 'status'], { NODE_TLS_REJECT_UNAUTHORIZED: '1' });
    expect(result.code).toBe(1);
    expect(result.stderr).not.toContain('TLS_VERIFICATION_DISABLED');
  });

  it('the Function app fails the invocation with NODE_TLS_REJECT_UNAUTHORIZED=0 and logs why', async () => {
    const { error, logged } = await scanTimerWith({ NODE_TLS_REJECT_UNAUTHORIZED: '0', AzureWebJobsStorage: 'UseDevelopmentStorage=true' });
    expect(error).toMatchObject({ code: 'TLS_VERIFICATION_DISABLED' });
    expect(logged).toEqual([expect.stringMatching(/^error credwatch could not start \(TLS_VERIFICATION_DISABLED\): NODE_TLS_REJECT_UNAUTHORIZED=0/)]);
    expect(logged[0]).toContain('set the app setting CREDWATCH_ALLOW_INSECURE_TLS=true');
  });

  it('the Function app gets past the check when the app setting CREDWATCH_ALLOW_INSECURE_TLS is true', async () => {
    // No credwatch.json in this app root: the next thing to fail is the config, not TLS.
    const { error } = await scanTimerWith({
      NODE_TLS_REJECT_UNAUTHORIZED: '0',
      CREDWATCH_ALLOW_INSECURE_TLS: 'true',
      CREDWATCH_CONFIG: join(dir, 'absent.json'),
    });
    expect(error).toMatchObject({ code: 'CONFIG_NOT_FOUND' });
  });
});
