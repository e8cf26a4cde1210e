import { startSimulator, syntheticScenario } from '../src/simulator/index.js';
import { cacheSignInPages } from '../src/simulator/graph/reports.js';

/**
 * The simulator in its own process for benchmarks, so the scan's time and memory are measured
 * without the server's. Prints its connection facts as one JSON line, then serves until killed.
 */
const servicePrincipals = Number(process.argv[2] ?? 2000);
const signIns = Number(process.argv[3] ?? 1_000_000);
const pageCacheCharacters = Number(process.argv[4] ?? 0);
const now = new Date();
// Built sign-in pages are kept up to this size: bench/scan.ts reads the window once to build them,
// so the scan and the fetch-and-parse floor it is compared with both get pages as cheap to serve as
// Graph's, and the floor measures the client, not this process generating records.
cacheSignInPages(pageCacheCharacters);
// Graph's report throttling off on both sides: the scan bench measures credwatch, and bench/scan.ts
// reports the budget's floor for real Graph separately.
const sim = await startSimulator({ scenario: syntheticScenario({ servicePrincipals, signIns, now, seed: 11 }), now: () => now, enforceThrottling: false });
process.stdout.write(`${JSON.stringify({ url: sim.url, tenantId: sim.tenantId, ca: sim.caCertPem, app: sim.credwatchApp, now: now.toISOString() })}\n`);
process.on('SIGTERM', () => {
  void sim.close().then(() => process.exit(0));
});
