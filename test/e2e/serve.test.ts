import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { SqliteStateStore } from '../../src/state/sqlite.js';

let sim: RunningSimulator;
let dir: string;

beforeAll(async () => {
  sim = await startSimulator({ scenario: mimecastScenario(new Date()) });
  dir = await mkdtemp(join(tmpdir(), 'credwatch-serve-'));
  await writeFile(join(dir, 'ca.crt'), sim.caCertPem);
  await writeFile(join(dir, 'app.crt'), sim.credwatchApp.certificatePem);
  await writeFile(join(dir, 'app.key'), sim.credwatchApp.privateKeyPem);
});
afterAll(async () => {
  await sim.close();
});

describe('credwatch serve', () => {
  it('runs the scan on its schedule, skips ticks while a run is still going, and exits 0 on SIGTERM', { timeout: 90_000 }, async () => {
    // Slow Graph: every scan outlasts the 2-second schedule, so ticks must be skipped, not queued.
    sim.setFaults({ latencyInMs: 250 });
    const config = join(dir, 'serve.json');
    const db = join(dir, 'state.db');
    await writeFile(
      config,
      JSON.stringify({
        tenants: [
          {
            name: 'contoso',
            tenantId: sim.tenantId,
            endpoints: { authorityHost: sim.url, graphBaseUrl: sim.url, caCertificatePath: 'ca.crt' },
            auth: { mode: 'certificate', clientId: sim.credwatchApp.clientId, certificatePath: 'app.crt', privateKeyPath: 'app.key' },
          },
        ],
        channels: [{ type: 'jsonl', path: 'alerts.jsonl' }],
        state: { type: 'sqlite', path: db },
        schedules: { scan: '*/2 * * * * *', report: '0 0 1 1 *', refreshAllowlists: '0 0 1 1 *', timeZone: 'UTC' },
        logging: { level: 'info' },
      }),
    );
    const child = spawn(process.execPath, ['--import', 'tsx', join(packageRoot(), 'src', 'cli.ts'), '--config', config, 'serve', '--grace', '30'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    // Wait for two finished scans, then ask it to stop.
    const deadline = Date.now() + 60_000;
    while ((stderr.match(/"scan run finished"/g) ?? []).length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    sim.setFaults({});

    const lines = stderr
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; job?: string });
    expect(lines.filter((l) => l.msg === 'scan run finished').length).toBeGreaterThanOrEqual(2);
    expect(lines.some((l) => l.msg.includes('that tick is skipped'))).toBe(true);
    expect(lines.at(-1)?.msg).toBe('credwatch serve stopped');

    // Scans never overlapped: each started after the previous one finished.
    const store = SqliteStateStore.open(db);
    const scans = await store.listScans('contoso', new Date(0), new Date(Date.now() + 60_000));
    await store.close();
    expect(scans.length).toBeGreaterThanOrEqual(2);
    for (let i = 1; i < scans.length; i += 1) expect(scans[i]!.startedAt.getTime()).toBeGreaterThanOrEqual(scans[i - 1]!.finishedAt.getTime());

    // Health: `credwatch status` reads the same history.
    const status = (args: string[]) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const p = spawn(process.execPath, ['--import', 'tsx', join(packageRoot(), 'src', 'cli.ts'), '--config', config, 'status', ...args], {
          stdio: ['ignore', 'pipe', 'ignore'],
        });
        let out = '';
        p.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
        p.on('exit', (code) => resolve({ code, out }));
      });
    const fresh = await status([]);
    expect(fresh.code).toBe(0);
    expect(fresh.out).toMatch(/^contoso: last scan .* ok$/m);
    expect(fresh.out).toMatch(/sign-in watermark lag: \d+ min/);
    expect(fresh.out).toContain('sign-in backlog: none');
    // Overdue (exit 1) once the last scan is older than --stale-after: test/faults/cli.test.ts.
  });
});
