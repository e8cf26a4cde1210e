import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { createChannels } from '../src/alerts/channels/index.js';
import { parseConfig } from '../src/config/index.js';
import { connectTenant } from '../src/graph/connect.js';
import { createFetch } from '../src/graph/http.js';
import { createLogger } from '../src/logging.js';
import { packageRoot } from '../src/package-root.js';
import { runScan } from '../src/scan/index.js';
import { openStateStore } from '../src/state/index.js';
import { loadServiceTags } from './matcher.js';

interface SimInfo {
  url: string;
  tenantId: string;
  ca: string;
  app: { clientId: string; certificatePem: string; privateKeyPem: string };
  now: string;
}

async function startChild(servicePrincipals: number, signIns: number): Promise<{ child: ChildProcess; info: SimInfo }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(packageRoot(), 'bench', 'sim-child.ts'), String(servicePrincipals), String(signIns)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve) => createInterface({ input: child.stdout! }).once('line', resolve));
  return { child, info: JSON.parse(line) as SimInfo };
}

/**
 * A full scan of N synthetic sign-ins served by the simulator in another process: time, sign-ins
 * per second and the scan process's peak memory. Graph's report budget (5 requests/10 s) is off
 * here — the simulator has none — so this measures credwatch itself; the note gives the budget's
 * floor for real Graph. The vendor allowlist is Azure's real service tags plus Mimecast's netblocks.
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
    const store = await openStateStore(config.state, { baseDir: dir });
    const { channels } = createChannels(config.channels, { logger });
    let peakRss = process.memoryUsage().rss;
    let peakHeap = process.memoryUsage().heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 50);
    const started = performance.now();
    const summary = await runScan(
      { config, store, connect: (t) => connectTenant(t, { logger, enforceBudgets: false }), channels, fetch: createFetch(), logger, now: () => new Date() },
      config.tenants[0]!,
    );
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    await store.close();
    return {
      signIns: summary.events.signIns,
      allowlistRanges: prefixes.length,
      seconds: Number(seconds.toFixed(1)),
      signInsPerSecond: Math.round(summary.events.signIns / seconds),
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
