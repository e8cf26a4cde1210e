import { InvocationContext, type LogLevel } from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { managedIdentityCredential, resourceOfScopes } from '../../src/azure/credential.js';
import { storageFromEnv } from '../../src/config/storage.js';
import { decodeJwtPayload } from '../../src/graph/auth.js';
import { createFetch } from '../../src/graph/http.js';
import { functionsLogger, withInvocation } from '../../src/functions/log.js';
import { decodeQueueBody, encodeMessage, parseTenantMessage } from '../../src/functions/messages.js';
import { ncrontabSetting } from '../../src/functions/schedule.js';
import { mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { captureLogger } from '../helpers/tenant.js';

function capturingContext(invocationId: string): { context: InvocationContext; seen: Array<{ level: LogLevel; text: string }> } {
  const seen: Array<{ level: LogLevel; text: string }> = [];
  const context = new InvocationContext({
    invocationId,
    functionName: 'scanTenant',
    logHandler: (level, ...args) => seen.push({ level, text: args.map(String).join(' ') }),
  });
  return { context, seen };
}

describe('pino records inside an invocation', () => {
  it("reach the invocation's log with the Functions level, the message first and the fields as JSON", async () => {
    const outside: string[] = [];
    const logger = functionsLogger('trace', (line) => outside.push(line));
    const { context, seen } = capturingContext('inv-1');
    await withInvocation(context, async () => {
      logger.trace('t');
      logger.debug('d');
      logger.info({ tenant: 'contoso' }, 'scan finished');
      logger.warn('w');
      logger.error({ err: new Error('boom') }, 'e');
      logger.fatal('f');
    });
    expect(seen.map((s) => s.level)).toEqual(['trace', 'debug', 'information', 'warning', 'error', 'error']);
    const info = seen[2]!.text;
    expect(info.startsWith('scan finished {')).toBe(true);
    expect(JSON.parse(info.slice('scan finished '.length))).toMatchObject({
      tenant: 'contoso',
      invocationId: 'inv-1',
      functionName: 'scanTenant',
      name: 'credwatch',
    });
    expect(seen[4]!.text).toContain('boom');
    expect(outside).toEqual([]);
  });

  it('keep concurrent invocations apart, including records written after an await', async () => {
    const logger = functionsLogger('info');
    const a = capturingContext('inv-a');
    const b = capturingContext('inv-b');
    const tick = () => new Promise((r) => setTimeout(r, 5));
    await Promise.all([
      withInvocation(a.context, async () => {
        await tick();
        logger.info('from a');
        await tick();
        logger.info('a again');
      }),
      withInvocation(b.context, async () => {
        logger.info('from b');
        await tick();
        logger.info('b again');
      }),
    ]);
    expect(a.seen.map((s) => s.text.split(' {')[0])).toEqual(['from a', 'a again']);
    expect(b.seen.map((s) => s.text.split(' {')[0])).toEqual(['from b', 'b again']);
    expect(a.seen.every((s) => s.text.includes('"invocationId":"inv-a"'))).toBe(true);
  });

  it('go to the fallback outside any invocation, and secrets stay redacted on both paths', async () => {
    const outside: string[] = [];
    const logger = functionsLogger('info', (line) => outside.push(line));
    logger.info({ clientSecret: 'abc~123' }, 'startup');
    const { context, seen } = capturingContext('inv-2');
    await withInvocation(context, async () => logger.info({ clientSecret: 'abc~123' }, 'inside'));
    expect(outside).toHaveLength(1);
    expect(outside[0]).not.toContain('abc~123');
    expect(seen[0]!.text).not.toContain('abc~123');
    expect(seen[0]!.text).toContain('[redacted]');
  });
});

describe('timer schedules from app settings', () => {
  it('default when unset, take a 6-field override, fall back with the reason for a 5-field cron or junk', () => {
    expect(ncrontabSetting({}, 'CREDWATCH_SCAN_SCHEDULE', '0 */15 * * * *')).toEqual({ schedule: '0 */15 * * * *' });
    expect(ncrontabSetting({ CREDWATCH_SCAN_SCHEDULE: ' 0 */5 * * * * ' }, 'CREDWATCH_SCAN_SCHEDULE', '0 */15 * * * *')).toEqual({ schedule: '0 */5 * * * *' });
    const five = ncrontabSetting({ CREDWATCH_SCAN_SCHEDULE: '*/15 * * * *' }, 'CREDWATCH_SCAN_SCHEDULE', '0 */15 * * * *');
    expect(five.schedule).toBe('0 */15 * * * *');
    expect(five.problem?.code).toBe('CONFIG_INVALID');
    expect(five.problem?.message).toMatch(/CREDWATCH_SCAN_SCHEDULE is "\*\/15 \* \* \* \*".*6-field NCRONTAB.*Running on that default/);
    expect(ncrontabSetting({ CREDWATCH_SCAN_SCHEDULE: '0 */15 * * * ; rm' }, 'CREDWATCH_SCAN_SCHEDULE', '0 */15 * * * *').problem?.details).toMatchObject({
      setting: 'CREDWATCH_SCAN_SCHEDULE',
    });
  });
});

describe('queue messages', () => {
  it('round-trip through the base64 encoding the queue trigger expects', () => {
    const message = { v: 1 as const, tenant: 'contoso', tick: '2026-11-26T12:00:00.000Z' };
    expect(parseTenantMessage(decodeQueueBody(encodeMessage(message)))).toEqual(message);
    expect(parseTenantMessage(JSON.stringify(message))).toEqual(message);
  });

  it('refuse anything else with QUEUE_MESSAGE_INVALID naming what is wrong', () => {
    expect(() => parseTenantMessage('not json')).toThrow(expect.objectContaining({ code: 'QUEUE_MESSAGE_INVALID' }) as Error);
    expect(() => parseTenantMessage({ v: 2, tenant: 'contoso', tick: 'x' })).toThrow(/v .*; tick/);
  });
});

describe('the storage account settings', () => {
  it('reads the identity-based form with explicit service URIs and refuses other credential types', () => {
    expect(
      storageFromEnv({
        AzureWebJobsStorage__blobServiceUri: 'https://acct.blob.core.usgovcloudapi.net/',
        AzureWebJobsStorage__queueServiceUri: 'https://acct.queue.core.usgovcloudapi.net',
        AzureWebJobsStorage__tableServiceUri: 'https://acct.table.core.usgovcloudapi.net',
        AzureWebJobsStorage__credential: 'managedidentity',
      }),
    ).toEqual({
      kind: 'identity',
      serviceUri: {
        blob: 'https://acct.blob.core.usgovcloudapi.net',
        queue: 'https://acct.queue.core.usgovcloudapi.net',
        table: 'https://acct.table.core.usgovcloudapi.net',
      },
      clientId: undefined,
    });
    expect(() => storageFromEnv({ AzureWebJobsStorage__accountName: 'acct', AzureWebJobsStorage__credential: 'clientsecret' })).toThrow(
      /supports only "managedidentity"/,
    );
  });
});

describe("the managed identity credential for the storage SDKs (msal-node against the simulator's identity endpoint)", () => {
  let sim: RunningSimulator;
  const saved = { endpoint: process.env.IDENTITY_ENDPOINT, header: process.env.IDENTITY_HEADER };
  beforeAll(async () => {
    sim = await startSimulator({ scenario: mimecastScenario(new Date()) });
    process.env.IDENTITY_ENDPOINT = sim.managedIdentity.endpoint;
    process.env.IDENTITY_HEADER = sim.managedIdentity.header;
  });
  afterAll(async () => {
    if (saved.endpoint === undefined) delete process.env.IDENTITY_ENDPOINT;
    else process.env.IDENTITY_ENDPOINT = saved.endpoint;
    if (saved.header === undefined) delete process.env.IDENTITY_HEADER;
    else process.env.IDENTITY_HEADER = saved.header;
    await sim.close();
  });

  it('gets a storage token for the user-assigned identity, and serves the next call from its cache', async () => {
    const { logger } = captureLogger('silent');
    const credential = managedIdentityCredential({ clientId: sim.managedIdentity.userAssignedClientId, fetch: createFetch(), logger });
    const first = await credential.getToken(['https://storage.azure.com/.default']);
    const claims = decodeJwtPayload(first!.token);
    expect(claims).toMatchObject({ aud: 'https://storage.azure.com', appid: sim.managedIdentity.userAssignedClientId, roles: [] });
    expect(first!.expiresOnTimestamp).toBeGreaterThan(Date.now());
    const second = await credential.getToken('https://storage.azure.com/.default');
    expect(second!.token).toBe(first!.token);
  });

  it('turns SDK scopes into the resource msal-node asks the endpoint for', () => {
    expect(resourceOfScopes(['https://storage.azure.com/.default'])).toBe('https://storage.azure.com');
    expect(() => resourceOfScopes([])).toThrow(/without a scope/);
  });
});
