import { collectInventory } from '../src/collect/inventory.js';
import { connectTenant } from '../src/graph/connect.js';
import { createLogger } from '../src/logging.js';
import { startSimulator, syntheticScenario } from '../src/simulator/index.js';
import { parseConfig } from '../src/config/index.js';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Inventory of a large synthetic tenant over real HTTPS: the request count must grow with pages,
 * not with service principals, and memory must stay proportional to the inventory itself.
 */
export async function benchInventory(servicePrincipals: number): Promise<Record<string, number | string>> {
  const now = new Date();
  const sim = await startSimulator({ scenario: syntheticScenario({ servicePrincipals, now, seed: 7 }) });
  try {
    const dir = await mkdtemp(join(tmpdir(), 'credwatch-bench-'));
    await writeFile(join(dir, 'ca.crt'), sim.caCertPem);
    await writeFile(join(dir, 'app.crt'), sim.credwatchApp.certificatePem);
    await writeFile(join(dir, 'app.key'), sim.credwatchApp.privateKeyPem);
    const config = await parseConfig(
      {
        tenants: [{
          name: 'synthetic', tenantId: sim.tenantId,
          endpoints: { authorityHost: sim.url, graphBaseUrl: sim.url, caCertificatePath: 'ca.crt' },
          auth: { mode: 'certificate', clientId: sim.credwatchApp.clientId, certificatePath: 'app.crt', privateKeyPath: 'app.key' },
        }],
        state: { type: 'memory' },
      },
      { baseDir: dir, env: {} },
    );
    const logger = createLogger({ level: 'warn' });
    const { graph } = connectTenant(config.tenants[0]!, { logger });
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const started = performance.now();
    const inventory = await collectInventory({ graph, logger, now: () => new Date() }, sim.tenantId);
    const seconds = (performance.now() - started) / 1000;
    const heapAfter = process.memoryUsage().heapUsed;
    const graphRequests = sim.requests.filter((r) => r.path.startsWith('/v1.0/') || r.path.startsWith('/beta/')).length;
    return {
      servicePrincipals,
      apps: inventory.apps.length,
      mailboxCapable: inventory.apps.filter((a) => a.mailboxPermissions.length > 0).length,
      graphRequests,
      requestsByPath: JSON.stringify(graph.stats.byPath),
      seconds: Number(seconds.toFixed(2)),
      heapGrowthMiB: Number(((heapAfter - heapBefore) / 1048576).toFixed(1)),
      rssMiB: Number((process.memoryUsage().rss / 1048576).toFixed(1)),
    };
  } finally {
    await sim.close();
  }
}
