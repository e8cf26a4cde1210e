import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { SqliteStateStore } from '../../src/state/sqlite.js';
import { cliTenant, startBusySimulator } from '../helpers/cli-tenant.js';
import { MIMECAST_VENDOR } from '../helpers/webhook-tenant.js';

let sim: RunningSimulator;
let dir: string;
let tenant: Record<string, unknown>;

beforeAll(async () => {
  // Enough sign-ins for several pages, so kills land between page fetches and commits.
  sim = await startBusySimulator();
  dir = await mkdtemp(join(tmpdir(), 'credwatch-crash-'));
  tenant = await cliTenant(sim, dir);
});
afterAll(async () => {
  await sim.close();
});

async function writeConfig(name: string): Promise<{ config: string; db: string; alerts: string }> {
  const db = join(dir, `${name}.db`);
  const alerts = join(dir, `${name}.jsonl`);
  const config = join(dir, `${name}.json`);
  await writeFile(
    config,
    JSON.stringify({
      tenants: [tenant],
      vendors: [MIMECAST_VENDOR],
      channels: [{ type: 'jsonl', name: 'file', path: alerts }],
      state: { type: 'sqlite', path: db },
      logging: { level: 'silent' },
    }),
  );
  return { config, db, alerts };
}

/** Runs `credwatch scan`; with `killAfterInMs` the process gets SIGKILL at that moment, mid-scan or not. */
function scan(config: string, killAfterInMs?: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(packageRoot(), 'src', 'cli.ts'), '--config', config, 'scan'], { stdio: 'ignore' });
    const timer = killAfterInMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterInMs);
    child.on('exit', (code) => {
      if (timer) clearTimeout(timer);
      resolve(code);
    });
  });
}

async function storedAlerts(db: string): Promise<string[]> {
  const store = SqliteStateStore.open(db);
  try {
    const alerts = await store.listAlerts('contoso', new Date(0), new Date(Date.now() + 86_400_000));
    return alerts.map((a) => `${a.alertId} ${a.ruleId} ${a.count}`).sort();
  } finally {
    await store.close();
  }
}

async function deliveredIds(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8').catch(() => ''))
    .split('\n')
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { alertId: string }).alertId);
}

describe('a scan killed at any moment and run again', () => {
  it('loses nothing and duplicates nothing: the same alerts as an uninterrupted run, at most one repeat delivery per kill', { timeout: 240_000 }, async () => {
    const reference = await writeConfig('reference');
    const started = Date.now();
    expect(await scan(reference.config)).toBe(3);
    const duration = Date.now() - started;
    const expected = await storedAlerts(reference.db);
    expect(expected.length).toBeGreaterThan(10);

    const crashed = await writeConfig('crashed');
    // Kill points spread over a full run's duration (process start included), so they land in
    // start-up, inventory, the audit window and between sign-in pages and their commits.
    const kills = [0.45, 0.6, 0.75, 0.9].map((f) => Math.round(duration * f));
    const codes: Array<number | null> = [];
    for (const at of kills) codes.push(await scan(crashed.config, at));
    // The kills must really interrupt scans (a null exit code), or this test proves nothing.
    expect(codes.filter((c) => c === null).length).toBeGreaterThanOrEqual(2);
    const final = await scan(crashed.config);
    expect([0, 3]).toContain(final);
    expect(await storedAlerts(crashed.db)).toEqual(expected);

    const delivered = await deliveredIds(crashed.alerts);
    const unique = new Set(delivered);
    expect([...unique].sort()).toEqual((await deliveredIds(reference.alerts)).sort());
    expect(delivered.length - unique.size).toBeLessThanOrEqual(kills.length);
  });
});
