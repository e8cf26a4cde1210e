import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inventoryCommand } from '../../src/cli/inventory/action.js';
import type { CliContext } from '../../src/cli/context.js';
import { connectTenant } from '../../src/graph/connect.js';
import { mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { captureLogger, FAST_RETRY, simulatorConfig } from '../helpers/tenant.js';

const now = new Date();
let sim: RunningSimulator;
let ctx: CliContext;

beforeAll(async () => {
  sim = await startSimulator({ scenario: mimecastScenario(now), now: () => now });
  const { logger } = captureLogger('warn');
  const config = await simulatorConfig(sim, 'certificate');
  const connect = (tenant: CliContext['config']['tenants'][number]) => connectTenant(tenant, { logger, retry: FAST_RETRY });
  ctx = { config, logger, connect, graphFor: () => connect(config.tenants[0]!).graph };
});
afterAll(async () => {
  await sim.close();
});

describe('credwatch inventory --format csv', () => {
  it('writes a file that starts with one UTF-8 byte order mark and parses as RFC 4180', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'credwatch-inventory-')), 'inventory.csv');
    await inventoryCommand(ctx, { format: 'csv', out }, () => undefined);
    const bytes = await readFile(out);
    expect([...bytes.subarray(0, 4)]).toEqual([0xef, 0xbb, 0xbf, 'a'.charCodeAt(0)]);
    const rows = parse(bytes, { bom: true, relax_quotes: false, relax_column_count: false }) as string[][];
    expect(rows[0]!.slice(0, 2)).toEqual(['appId', 'displayName']);
    expect(rows.map((r) => r[1])).toContain('Mimecast (simulated)');
  });

  it('prints the same mark on stdout, where it is usually redirected to a file', async () => {
    let printed = '';
    await inventoryCommand(ctx, { format: 'csv' }, (text) => (printed += text));
    expect(printed.startsWith('\ufeffappId,')).toBe(true);
    expect(printed.indexOf('\ufeff', 1)).toBe(-1);
  });

  it('leaves the table and JSON without one', async () => {
    let printed = '';
    await inventoryCommand(ctx, { format: 'json' }, (text) => (printed += text));
    expect(printed.startsWith('{')).toBe(true);
  });
});
