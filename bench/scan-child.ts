import { readFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { createChannels } from '../src/alerts/channels/index.js';
import { parseConfig } from '../src/config/index.js';
import { connectTenant, tenantFetch } from '../src/graph/connect.js';
import { createFetch } from '../src/graph/http.js';
import { createLogger } from '../src/logging.js';
import { runScan } from '../src/scan/index.js';
import { scanWindow } from '../src/scan/window.js';
import { openStateStore } from '../src/state/index.js';
import { fetchAndParseFloor, signInWindowUrl } from './floor.js';

/** What bench/scan.ts asks one child to do, written as JSON to the file named by argv[2]. */
export interface ScanChildJob {
  /** `scan`: credwatch's runScan over the window; `floor`: the fetch-and-parse floor over the same window. */
  mode: 'scan' | 'floor';
  /** The configuration as the user would write it (relative paths against baseDir). */
  config: unknown;
  baseDir: string;
  /** The scan's pinned clock, so its window selects the pages the warm-up had the simulator build. */
  scanAt: string;
}

/** What the child prints as its last stdout line. */
export interface ScanChildResult {
  seconds: number;
  cpuSeconds: number;
  /** RSS once modules are loaded and the configuration parsed, just before the timed run. */
  rssBeforeMiB: number;
  /** The kernel's high-water mark of this process's RSS over its whole life (getrusage ru_maxrss). */
  peakRssMiB: number;
  /** The highest V8 heapUsed seen by sampling every 50 ms during the timed run. */
  peakHeapMiB: number;
  /** V8's heap size limit in this process, which Node derives from the memory it may use. */
  heapLimitMiB: number;
  scan?: { signIns: number; findings: number; alerts: number; graphRequests: number; errors: number };
  floor?: { records: number; pages: number; cpuSeconds: number };
}

/**
 * One timed run of the scan bench in a process of its own, compiled by bench/scan.ts with the
 * build's settings (tsconfig.build.json) and run by plain `node` with no flags: the process holds
 * credwatch's built modules, the scan and this thin wrapper — not tsx, the bench's setup or the
 * simulator — so its peak RSS is what a `credwatch scan` or a Function worker would need. Logs go
 * to stderr; the result is one JSON line on stdout.
 */
async function main(): Promise<void> {
  const jobPath = process.argv[2];
  if (!jobPath) throw new Error('usage: node scan-child.js JOB.json');
  const job = JSON.parse(readFileSync(jobPath, 'utf8')) as ScanChildJob;
  const config = await parseConfig(job.config, { baseDir: job.baseDir, env: {} });
  const logger = createLogger({ level: 'warn', destination: process.stderr });
  const tenant = config.tenants[0]!;
  const scanAt = new Date(job.scanAt);
  const store = job.mode === 'scan' ? await openStateStore(config.state, { baseDir: config.baseDir }) : undefined;
  const { channels } = createChannels(config.channels, { logger });
  const floorReader =
    job.mode === 'floor'
      ? (() => {
          const window = scanWindow(undefined, scanAt, config.collection);
          return { firstUrl: signInWindowUrl(tenant.endpoints.graphBaseUrl, window.from, window.to), fetch: tenantFetch(tenant) };
        })()
      : undefined;
  // The floor's token is taken before the clock starts: it measures paging, not MSAL.
  const token = floorReader ? (await connectTenant(tenant, { logger }).tokens.getToken()).token : '';

  const before = process.memoryUsage();
  let peakHeap = before.heapUsed;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 50);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result: Partial<ScanChildResult> = {};
  if (store) {
    const summary = await runScan(
      { config, store, connect: (t) => connectTenant(t, { logger, enforceBudgets: false }), channels, fetch: createFetch(), logger, now: () => scanAt },
      tenant,
    );
    result.scan = {
      signIns: summary.events.signIns,
      findings: Object.values(summary.findings).reduce((a, b) => a + b, 0),
      alerts: summary.alerts.new,
      graphRequests: summary.graphRequests,
      errors: summary.errors.length,
    };
  } else if (floorReader) {
    const floor = await fetchAndParseFloor({ ...floorReader, token });
    result.floor = { records: floor.records, pages: floor.pages, cpuSeconds: floor.cpuSeconds };
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  clearInterval(sampler);
  await store?.close();
  const out: ScanChildResult = {
    ...result,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    rssBeforeMiB: Math.round(before.rss / 1048576),
    // ru_maxrss is in KiB on Linux.
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
    peakHeapMiB: Math.round(peakHeap / 1048576),
    heapLimitMiB: Math.round(getHeapStatistics().heap_size_limit / 1048576),
  };
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

await main();
