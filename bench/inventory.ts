import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectInventory } from '../src/collect/inventory.js';
import { parseConfig } from '../src/config/index.js';
import type { BatchStats } from '../src/graph/batch.js';
import { connectTenant } from '../src/graph/connect.js';
import { parseCertificate } from '../src/inventory/certificate.js';
import { createLogger } from '../src/logging.js';
import { startSimulator, syntheticScenario, type Scenario } from '../src/simulator/index.js';
import { makeScenarioCertificate } from '../src/simulator/scenarios/certificates.js';

const MiB = 1_048_576;
const mib = (bytes: number) => Number((bytes / MiB).toFixed(1));

/**
 * Inventory of a large synthetic tenant over real HTTPS, with credwatch's client-side budgets on
 * and the simulator's documented throttling on: the request count must grow with pages, not with
 * service principals, and memory must stay proportional to the inventory itself. Graph requests
 * are counted at the simulator (outer requests); the inner requests of `$batch` are counted by
 * the collector, because Graph throttles each of them as a request of its own.
 */
export async function benchInventory(servicePrincipals: number): Promise<Record<string, number | string>> {
  const now = new Date();
  const scenario = withCertificateKeys(syntheticScenario({ servicePrincipals, now, seed: 7 }), now);
  const sim = await startSimulator({ scenario });
  try {
    const dir = await mkdtemp(join(tmpdir(), 'credwatch-bench-'));
    await writeFile(join(dir, 'ca.crt'), sim.caCertPem);
    await writeFile(join(dir, 'app.crt'), sim.credwatchApp.certificatePem);
    await writeFile(join(dir, 'app.key'), sim.credwatchApp.privateKeyPem);
    const config = await parseConfig(
      {
        tenants: [
          {
            name: 'synthetic',
            tenantId: sim.tenantId,
            endpoints: { authorityHost: sim.url, graphBaseUrl: sim.url, caCertificatePath: 'ca.crt' },
            auth: { mode: 'certificate', clientId: sim.credwatchApp.clientId, certificatePath: 'app.crt', privateKeyPath: 'app.key' },
          },
        ],
        state: { type: 'memory' },
      },
      { baseDir: dir, env: {} },
    );
    const logger = createLogger({ level: 'warn' });
    const { graph } = connectTenant(config.tenants[0]!, { logger });
    const batchStats: BatchStats = { batches: 0, innerRequests: 0, innerRetries: 0 };
    const from = sim.requests.length;
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    let heapPeak = heapBefore;
    const sampler = setInterval(() => {
      heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
    }, 10);
    const started = performance.now();
    const inventory = await collectInventory({ graph, logger, now: () => new Date(), batchStats }, sim.tenantId);
    const seconds = (performance.now() - started) / 1000;
    clearInterval(sampler);
    const heapAfter = process.memoryUsage().heapUsed;
    const graphRequests = sim.requests.slice(from).filter((r) => r.path.startsWith('/v1.0/') || r.path.startsWith('/beta/'));
    const credentials = inventory.apps.flatMap((a) => a.credentials).filter((c) => c.kind === 'certificate');
    const apps = inventory.apps.length;
    const mailboxCapable = inventory.apps.filter((a) => a.mailboxPermissions.length > 0).length;
    return {
      servicePrincipals,
      apps,
      mailboxCapable,
      graphRequests: graphRequests.length,
      throttledBySimulator: graphRequests.filter((r) => r.status === 429).length,
      batchRequests: batchStats.batches,
      batchInnerRequests: batchStats.innerRequests,
      graphPlusInnerRequests: graphRequests.length - batchStats.batches + batchStats.innerRequests,
      requestsByPath: JSON.stringify(graph.stats.byPath),
      certificates: credentials.length,
      certificatesParsed: credentials.filter((c) => c.certificate).length,
      seconds: Number(seconds.toFixed(2)),
      // Simulator and client share the process, as in the figures before $batch: growth includes
      // the simulator's response building and garbage not yet collected.
      heapGrowthMiB: mib(heapAfter - heapBefore),
      heapPeakGrowthMiB: mib(heapPeak - heapBefore),
      rssMiB: mib(process.memoryUsage().rss),
      ...certificateCost(scenario),
    };
  } finally {
    await sim.close();
  }
}

/**
 * The synthetic generator leaves `key` empty; real list pages carry each certificate's DER (about
 * 1 KB of base64). 64 real certificates, dealt round-robin, make the pages as heavy as a real
 * tenant's without signing thousands of them.
 */
function withCertificateKeys(scenario: Scenario, now: Date): Scenario {
  const deck = Array.from({ length: 64 }, (_, i) =>
    makeScenarioCertificate({
      commonName: `Synthetic ${i}`,
      notBefore: new Date(now.getTime() - 86_400_000),
      notAfter: new Date(now.getTime() + 365 * 86_400_000),
      keyLabel: 'bench',
    }),
  );
  let dealt = 0;
  for (const app of scenario.applications) {
    for (const credential of app.keyCredentials) {
      const cert = deck[dealt++ % deck.length]!;
      credential.key = cert.derBase64;
      credential.customKeyIdentifier = cert.customKeyIdentifier;
    }
  }
  return scenario;
}

/**
 * What keeping or parsing every certificate would cost, measured on this tenant's own keys: parse
 * time per certificate, and heap per certificate held as raw base64 or as parsed details.
 */
function certificateCost(scenario: Scenario): Record<string, number> {
  const keys = scenario.applications
    .flatMap((a) => a.keyCredentials.map((k) => k.key ?? ''))
    .filter(Boolean)
    .slice(0, 2_000);
  if (keys.length === 0) return {};
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  const copies = keys.map((k) => Buffer.from(k, 'latin1').toString('latin1'));
  global.gc?.();
  const raw = process.memoryUsage().heapUsed;
  const started = performance.now();
  const parsed = copies.map((k) => parseCertificate(k));
  const micros = ((performance.now() - started) * 1000) / keys.length;
  global.gc?.();
  const after = process.memoryUsage().heapUsed;
  return {
    parseMicrosPerCertificate: Math.round(micros),
    ...(global.gc ? { rawKiBPerCertificate: Number(((raw - before) / 1024 / keys.length).toFixed(2)) } : {}),
    ...(global.gc ? { parsedKiBPerCertificate: Number(((after - raw) / 1024 / parsed.length).toFixed(2)) } : {}),
  };
}
