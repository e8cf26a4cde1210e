/**
 * Two `credwatch scan` processes on one tenant and one SQLite state file at once, as a CLI next to
 * `serve` or two containers on one volume run them: every notification must reach the receiver
 * exactly once (counted by Idempotency-Key), and the scan that lost the tenant's lease must say
 * who holds it. Real processes, a real simulator, a real HTTP receiver.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import type { RunningSimulator } from '../../src/simulator/index.js';
import { SqliteStateStore } from '../../src/state/sqlite.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { cliTenant, startBusySimulator } from '../helpers/cli-tenant.js';
import { MIMECAST_VENDOR, webhookChannel } from '../helpers/webhook-tenant.js';

let sim: RunningSimulator;
let receiver: Receiver;
let dir: string;
let tenant: Record<string, unknown>;

beforeAll(async () => {
  // A busy tenant: a scan of several seconds, so the two processes surely overlap.
  sim = await startBusySimulator();
  receiver = await startReceiver();
  dir = await mkdtemp(join(tmpdir(), 'credwatch-concurrency-'));
  tenant = await cliTenant(sim, dir);
});
afterAll(async () => {
  await receiver.close();
  await sim.close();
});

/** A configuration scanning the simulator's tenant into `<name>.db`, every alert to the receiver's webhook. */
async function writeConfig(name: string): Promise<{ config: string; db: string }> {
  const db = join(dir, `${name}.db`);
  const config = join(dir, `${name}.json`);
  const siem = { ...webhookChannel(), minSeverity: 'informational', digestThreshold: 1000 };
  await writeFile(
    config,
    JSON.stringify({ tenants: [tenant], vendors: [MIMECAST_VENDOR], channels: [siem], state: { type: 'sqlite', path: db }, logging: { level: 'silent' } }),
  );
  return { config, db };
}

interface Run {
  pid: number;
  exit: Promise<{ code: number | null; stdout: string; stderr: string }>;
  kill(): void;
}

function startScan(config: string): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', join(packageRoot(), 'src', 'cli.ts'), '--config', config, 'scan'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, HOOK_URL: receiver.url, HOOK_SECRET: 'test-signing-key-0123456789' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  return { pid: child.pid!, exit, kill: () => child.kill('SIGKILL') };
}

/** How many times each Idempotency-Key reached the receiver. */
function deliveriesByKey(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of receiver.requests) {
    const key = String(r.headers['idempotency-key']);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

async function outboxStatuses(db: string): Promise<Record<string, number>> {
  const store = SqliteStateStore.open(db);
  try {
    const counts: Record<string, number> = {};
    for (const e of await store.listOutbox('contoso', undefined)) counts[e.status] = (counts[e.status] ?? 0) + 1;
    return counts;
  } finally {
    await store.close();
  }
}

/** Resolves true once a process holds the tenant's scan lease in the file (read the way an operator would), false if `run` ended first. */
async function leaseTaken(db: string, run: Run): Promise<boolean> {
  let ended = false;
  void run.exit.then(() => (ended = true));
  while (!ended) {
    try {
      const file = new Database(db, { readonly: true, fileMustExist: true });
      try {
        if (file.prepare("SELECT 1 FROM scan_leases WHERE tenant = 'contoso'").get() !== undefined) return true;
      } finally {
        file.close();
      }
    } catch {
      // Not created or not migrated yet.
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

describe('two scans of one tenant at once', () => {
  it(
    'delivers every notification exactly once when two CLI scans share one state file; the second exits 5 naming the first',
    { timeout: 180_000 },
    async () => {
      receiver.requests.length = 0;
      const { config, db } = await writeConfig('together');
      const runs = [startScan(config), startScan(config)];
      const results = await Promise.all(runs.map((r) => r.exit));

      expect(results.map((r) => r.code).sort(), JSON.stringify(results)).toEqual([3, 5]);
      const loser = results.findIndex((r) => r.code === 5);
      const winner = runs[1 - loser]!;
      expect(results[loser]!.stdout).toContain('SCAN_IN_PROGRESS');
      expect(results[loser]!.stdout).toContain(`pid ${winner.pid}`);
      expect(results[loser]!.stdout).toMatch(/its lease runs until \d{4}-\d\d-\d\dT/);

      const counts = deliveriesByKey();
      expect(counts.size).toBeGreaterThan(10);
      expect([...counts].filter(([, n]) => n !== 1)).toEqual([]);
      expect(await outboxStatuses(db)).toEqual({ sent: expect.any(Number) });
    },
  );

  it(
    'lets the next scan on the same machine take over the lease of a scan that was killed, instead of waiting for it to expire',
    { timeout: 180_000 },
    async () => {
      receiver.requests.length = 0;
      const { config, db } = await writeConfig('killed');
      const first = startScan(config);
      expect(await leaseTaken(db, first)).toBe(true);
      first.kill();
      expect((await first.exit).code).toBeNull();

      const again = await startScan(config).exit;
      expect(again.stdout).not.toContain('SCAN_IN_PROGRESS');
      expect([0, 3]).toContain(again.code);
      expect(await outboxStatuses(db)).toEqual({ sent: expect.any(Number) });
      // A kill can fall between a channel's acceptance and the sent mark: at most that one message repeats.
      expect([...deliveriesByKey().values()].filter((n) => n > 1).length).toBeLessThanOrEqual(1);
    },
  );
});
