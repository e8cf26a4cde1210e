/**
 * The simulator's tenant as `credwatch` child processes see it: a busy tenant (thousands of extra
 * vendor sign-ins, so a scan runs for seconds and can be killed or raced mid-way), and its
 * certificates written next to the configuration that names them.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import type { SignIn } from '../../src/simulator/scenario.js';
import { VENDOR_APP_ID } from './scan.js';

/** The Mimecast scenario plus `extra` sign-ins of the vendor app from its allowed range, one a minute back from an hour ago. */
export async function startBusySimulator(extra = 4500): Promise<RunningSimulator> {
  const now = new Date();
  const scenario = mimecastScenario(now);
  const template = (scenario.signIns as SignIn[]).find((s) => s.appId === VENDOR_APP_ID && s.ipAddress.startsWith('205.139.110.'))!;
  const bulk = Array.from({ length: extra }, (_, i) => ({
    ...template,
    id: `bulk-${i}`,
    createdDateTime: new Date(now.getTime() - 3_600_000 - i * 60_000).toISOString(),
  }));
  return startSimulator({ scenario: { ...scenario, signIns: [...(scenario.signIns as SignIn[]), ...bulk] } });
}

/** Writes the CA and credwatch's certificate and key into `dir`, and returns the tenant entry naming them (paths relative to the config there). */
export async function cliTenant(sim: RunningSimulator, dir: string): Promise<Record<string, unknown>> {
  await writeFile(join(dir, 'ca.crt'), sim.caCertPem);
  await writeFile(join(dir, 'app.crt'), sim.credwatchApp.certificatePem);
  await writeFile(join(dir, 'app.key'), sim.credwatchApp.privateKeyPem);
  return {
    name: 'contoso',
    tenantId: sim.tenantId,
    endpoints: { authorityHost: sim.url, graphBaseUrl: sim.url, caCertificatePath: 'ca.crt' },
    auth: { mode: 'certificate', clientId: sim.credwatchApp.clientId, certificatePath: 'app.crt', privateKeyPath: 'app.key' },
  };
}
