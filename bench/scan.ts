import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createChannels } from '../src/alerts/channels/index.js';
import { parseConfig } from '../src/config/index.js';
import { connectTenant, tenantFetch } from '../src/graph/connect.js';
import { createFetch } from '../src/graph/http.js';
import { createLogger } from '../src/logging.js';
import { packageRoot } from '../src/package-root.js';
import { runScan } from '../src/scan/index.js';
import { scanWindow } from '../src/scan/window.js';
import { openStateStore } from '../src/state/index.js';
import { fetchAndParseFloor, readPagesOnce, signInWindowUrl } from './floor.js';
import { loadServiceTags } from './matcher.js';

interface SimInfo {
  url: string;
  tenantId: string;
  ca: string;
  app: { clientId: string; certificatePem: string; privateKeyPem: string };
  now: string;
}

/**
 * Extra Node flags for the simulator child, e.g. `--cpu-prof --cpu-prof-dir=prof/sim`: the scan
 * process is profiled with `node --cpu-prof`, the server it talks to only through this.
 */
const SIM_NODE_FLAGS = (process.env.CREDWATCH_BENCH_SIM_FLAGS ?? '').split(' ').filter((f) => f !== '');

/** A synthetic sign-in serializes to about 3,000 characters; the child keeps every page it built. */
const CHARACTERS_PER_SIGN_IN = 3_200;

async function startChild(servicePrincipals: number, signIns: number): Promise<{ child: ChildProcess; info: SimInfo }> {
  const pageCache = signIns * CHARACTERS_PER_SIGN_IN;
  // The kept pages live on the child's heap (one byte per character): room for them plus the server.
  const heap = `--max-old-space-size=${Math.ceil(pageCache / 1048576) + 1536}`;
  const script = join(packageRoot(), 'bench', 'sim-child.ts');
  const args = [heap, ...SIM_NODE_FLAGS, '--import', 'tsx', script, String(servicePrincipals), String(signIns), String(pageCache)];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  return { child, info: JSON.parse(line) as SimInfo };
}

/**
 * A full scan of N synthetic sign-ins served by the simulator in another process: time, sign-ins
 * per second and the scan process's peak memory. Graph's report budget (5 requests/10 s) is off
 * here — the simulator has none — so this measures credwatch itself; the note gives the budget's
 * floor for real Graph. The vendor allowlist is Azure's real service tags plus Mimecast's netblocks.
 *
 * Before the scan, the sign-in window is read once so the simulator builds and keeps its pages;
 * after it (and after memory sampling stops), the same window is read again by the
 * fetch-and-parse floor (bench/floor.ts): `floorRatio` is the scan's time over the floor's, the
 * number issue 12 sets a goal for (≤ 3 at 1M sign-ins). Both read pages the simulator already
 * built, so both measure the client.
 */
export async function benchScan(signIns: number): Promise<Record<string, number | string>> {
  // Before the simulator starts: without the service tags the scan would judge every sign-in against
  // Mimecast's few ranges alone and still print figures, so a missing file stops the benchmark.
  const prefixes = loadServiceTags().map((e) => e.cidr);
  const { child, info } = await startChild(2000, signIns);
  try {
    const dir = await mkdtemp(join(tmpdir(), 'credwatch-bench-scan-'));
    await writeFile(join(dir, 'ca.crt'), info.ca);
    await writeFile(join(dir, 'app.crt'), info.app.certificatePem);
    await writeFile(join(dir, 'app.key'), info.app.privateKeyPem);
    await writeFile(join(dir, 'azure.txt'), `${[...new Set(prefixes)].join('\n')}\n`);
    const owners = Array.from({ length: 20 }, (_, i) => `ffffffff-0000-4000-8000-${(i + 1).toString(16).padStart(12, '0')}`);
    const config = await parseConfig(
      {
        tenants: [
          {
            name: 'synthetic',
            tenantId: info.tenantId,
            endpoints: { authorityHost: info.url, graphBaseUrl: info.url, caCertificatePath: 'ca.crt' },
            auth: { mode: 'certificate', clientId: info.app.clientId, certificatePath: 'app.crt', privateKeyPath: 'app.key' },
          },
        ],
        vendors: [
          {
            name: 'Synthetic vendors',
            ownerTenantIds: owners,
            allowedRanges: [
              { type: 'file', path: join(packageRoot(), 'config', 'vendors', 'mimecast-2021.txt') },
              { type: 'file', path: 'azure.txt' },
            ],
          },
        ],
        channels: [{ type: 'jsonl', path: 'alerts.jsonl' }],
        state: { type: 'sqlite', path: 'state.db' },
        collection: { backfillInDays: 30 },
      },
      { baseDir: dir, env: {} },
    );
    const logger = createLogger({ level: 'warn' });
    const tenant = config.tenants[0]!;
    // The scan's clock stands still at this instant, so its window selects exactly the records the
    // warm-up had the simulator build (a later `now` would shift every page boundary by a record or two).
    const scanAt = new Date();
    const window = scanWindow(undefined, scanAt, config.collection);
    const reader = {
      firstUrl: signInWindowUrl(tenant.endpoints.graphBaseUrl, window.from, window.to),
      token: (await connectTenant(tenant, { logger }).tokens.getToken()).token,
      fetch: tenantFetch(tenant),
    };
    const warmUp = await readPagesOnce(reader);
    const store = await openStateStore(config.state, { baseDir: dir });
    const { channels } = createChannels(config.channels, { logger });
    const before = process.memoryUsage();
    let peakRss = before.rss;
    let peakHeap = before.heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 50);
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const summary = await runScan(
      { config, store, connect: (t) => connectTenant(t, { logger, enforceBudgets: false }), channels, fetch: createFetch(), logger, now: () => scanAt },
      tenant,
    );
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    clearInterval(sampler);
    await store.close();
    const floor = await fetchAndParseFloor(reader);
    return {
      signIns: summary.events.signIns,
      allowlistRanges: prefixes.length,
      seconds: Number(seconds.toFixed(1)),
      signInsPerSecond: Math.round(summary.events.signIns / seconds),
      // CPU time of this process (all its threads) during the scan: steadier than wall time on a shared machine.
      cpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
      floorSeconds: Number(floor.seconds.toFixed(1)),
      floorCpuSeconds: floor.cpuSeconds,
      floorRatio: Number((seconds / floor.seconds).toFixed(2)),
      // Must equal signIns: the floor read the scan's window.
      floorRecords: floor.records,
      floorPages: floor.pages,
      // The warm-up: the simulator generating and serializing every page (not part of either time).
      warmUpSeconds: Number(warmUp.seconds.toFixed(1)),
      // What the process held before the scan started (modules, the bench's own data), for reading the peak.
      rssBeforeMiB: Math.round(before.rss / 1048576),
      peakRssMiB: Math.round(peakRss / 1048576),
      peakHeapMiB: Math.round(peakHeap / 1048576),
      findings: Object.values(summary.findings).reduce((a, b) => a + b, 0),
      alerts: summary.alerts.new,
      graphRequests: summary.graphRequests,
      realGraphFloorMinutes: Number((((summary.graphRequests / 5) * 10) / 60).toFixed(1)),
      errors: summary.errors.length,
    };
  } finally {
    child.kill('SIGTERM');
  }
}
