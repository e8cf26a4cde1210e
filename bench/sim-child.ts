import { startSimulator, syntheticScenario } from '../src/simulator/index.js';

/**
 * The simulator in its own process for benchmarks, so the scan's time and memory are measured
 * without the server's. Prints its connection facts as one JSON line, then serves until killed.
 */
const servicePrincipals = Number(process.argv[2] ?? 2000);
const signIns = Number(process.argv[3] ?? 1_000_000);
const now = new Date();
// Graph's report throttling off on both sides: the scan bench measures credwatch, and bench/scan.ts
// reports the budget's floor for real Graph separately.
const sim = await startSimulator({ scenario: syntheticScenario({ servicePrincipals, signIns, now, seed: 11 }), now: () => now, enforceThrottling: false });
process.stdout.write(`${JSON.stringify({ url: sim.url, tenantId: sim.tenantId, ca: sim.caCertPem, app: sim.credwatchApp, now: now.toISOString() })}\n`);
process.on('SIGTERM', () => {
  void sim.close().then(() => process.exit(0));
});
