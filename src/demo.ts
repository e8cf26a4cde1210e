import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { collectInventory } from './collect/inventory.js';
import { parseConfig } from './config/index.js';
import type { Config } from './config/types.js';
import { runDoctor, renderDoctor } from './doctor.js';
import { EXIT } from './cli/exit-codes.js';
import { GraphBudgets } from './graph/rate-limit.js';
import { connectTenant } from './graph/connect.js';
import { createFetch } from './graph/http.js';
import { createChannels } from './alerts/channels/index.js';
import { runScan } from './scan/index.js';
import { renderScanSummary } from './scan/render.js';
import { MemoryStateStore } from './state/index.js';
import { assessInventory } from './inventory/assess.js';
import { renderInventoryTable } from './inventory/render.js';
import type { Logger } from './logging.js';
import { packageRoot } from './package-root.js';
import { startDemoTeamsReceiver } from './demo-receiver.js';
import { renderReportHtml } from './report/html.js';
import { runReport } from './report/run.js';
import { isoWeek } from './report/week.js';
import { CREDWATCH_ROLES, mimecastScenario, quietScenario, startSimulator, type RunningSimulator } from './simulator/index.js';

export interface DemoOptions {
  write: (text: string) => void;
  logger: Logger;
  now?: () => Date;
  /** Where the week's report goes; `.credwatch/reports/` by default. */
  reportDir?: string;
  /** Sees each Workflows message the demo's Teams receiver gets, as sent (how docs/img/teams-alert.png is drawn). */
  onTeamsMessage?: (body: string) => void;
}

/** The demo tenant grants credwatch the optional blast-radius permission too (docs/blast-radius.md). */
const DEMO_ROLES: readonly string[] = [...CREDWATCH_ROLES, 'AuditLogsQuery-Exchange.Read.All'];

/** How long the demo lets pass between its two scans: the simulator's audit query takes 5 minutes. */
const SECOND_SCAN_AFTER_IN_MS = 10 * 60_000;

/** The simulator origin the example configuration is written for. */
const EXAMPLE_SIMULATOR_ORIGIN = 'https://127.0.0.1:8443';

/** Where the demo and `credwatch simulator` leave the simulator's CA and credwatch's test credential. */
export function simulatorFilesDir(root: string = packageRoot()): string {
  return join(root, '.credwatch', 'simulator');
}

/** Writes the files the example configuration points at (CA, certificate, private key). */
export async function writeSimulatorFiles(sim: RunningSimulator, dir: string): Promise<{ ca: string; cert: string; key: string }> {
  await mkdir(dir, { recursive: true });
  const files = { ca: join(dir, 'ca.crt'), cert: join(dir, 'credwatch-app.crt'), key: join(dir, 'credwatch-app.key') };
  await writeFile(files.ca, sim.caCertPem);
  await writeFile(files.cert, sim.credwatchApp.certificatePem);
  await writeFile(files.key, sim.credwatchApp.privateKeyPem, { mode: 0o600 });
  return files;
}

/**
 * The example configuration pointed at a running simulator: its vendors and posture settings as
 * shipped (file paths made absolute so the result can be saved anywhere), the tenant swapped for
 * the simulator's, alerts on stdout and state in memory.
 */
export async function demoConfigRaw(
  sim: RunningSimulator,
  files: { ca: string; cert: string; key: string },
  root: string = packageRoot(),
): Promise<Record<string, unknown>> {
  const configDir = join(root, 'config');
  const example = JSON.parse(await readFile(join(configDir, 'credwatch.example.json'), 'utf8')) as Record<string, unknown> & {
    vendors?: Array<{ allowedRanges?: Array<{ type: string; path?: string }> }>;
  };
  const vendors = (example.vendors ?? []).map((v) => ({
    ...v,
    allowedRanges: (v.allowedRanges ?? []).map((r) => {
      if (r.type === 'file' && r.path) return { ...r, path: resolve(configDir, r.path) };
      // The example's feed lives on the simulator; follow it to whatever port this one got.
      if (r.type === 'url' && typeof (r as { url?: unknown }).url === 'string')
        return { ...r, url: (r as unknown as { url: string }).url.replace(EXAMPLE_SIMULATOR_ORIGIN, sim.url) };
      return r;
    }),
  }));
  const { $schema: _schema, ...rest } = example;
  return {
    ...rest,
    vendors,
    tenants: [
      {
        name: 'contoso',
        tenantId: sim.tenantId,
        endpoints: { authorityHost: sim.authorityHost, graphBaseUrl: sim.graphBaseUrl, caCertificatePath: files.ca },
        auth: { mode: 'certificate', clientId: sim.credwatchApp.clientId, certificatePath: files.cert, privateKeyPath: files.key },
      },
    ],
    channels: [{ type: 'stdout', minSeverity: 'high' }],
    state: { type: 'memory' },
  };
}

export async function demoConfig(
  sim: RunningSimulator,
  files: { ca: string; cert: string; key: string },
  root: string = packageRoot(),
  teamsUrl?: string,
): Promise<Config> {
  const raw = await demoConfigRaw(sim, files, root);
  if (teamsUrl) {
    // A Teams-like receiver on loopback: the one place plain http is allowed, and only by saying so.
    raw.channels = [
      ...(raw.channels as unknown[]),
      { type: 'teams', name: 'teams-demo', urlEnv: 'CREDWATCH_DEMO_TEAMS_URL', allowInsecureTestEndpoint: true, minSeverity: 'critical' },
    ];
  }
  return parseConfig(raw, { baseDir: join(root, 'config'), env: teamsUrl ? { CREDWATCH_DEMO_TEAMS_URL: teamsUrl } : {} });
}

/** `credwatch demo`: the real pipeline against the simulator's Mimecast-like tenant. */
export async function runDemo(options: DemoOptions): Promise<number> {
  const base = options.now ?? (() => new Date());
  // One clock for credwatch and the simulator, moved forward between the scans so the audit log
  // query opened by the first has finished for the second.
  let skippedMs = 0;
  const now = () => new Date(base().getTime() + skippedMs);
  const started = Date.now();
  const sim = await startSimulator({ scenario: mimecastScenario(now()), now, grantedRoles: DEMO_ROLES });
  const teams = await startDemoTeamsReceiver((title, body) => {
    options.write(`>> Teams (local receiver ${teamsUrlHost}) received an Adaptive Card, ${body.length} bytes: ${title.replace(/\\/g, '')}\n\n`);
    options.onTeamsMessage?.(body.toString('utf8'));
  });
  const teamsUrlHost = new URL(teams.url).host;
  try {
    const files = await writeSimulatorFiles(sim, simulatorFilesDir());
    const config = await demoConfig(sim, files, packageRoot(), teams.url);
    const tenant = config.tenants[0];
    if (!tenant) throw new Error('demo configuration has no tenant');
    options.write(`credwatch demo — tenant simulator at ${sim.url} (Mimecast-like scenario, tenant ${sim.tenantId})\n`);
    const budgets = new GraphBudgets();
    const connect = (t: typeof tenant) => connectTenant(t, { logger: options.logger, budgets });
    const doctor = await runDoctor({ config, connect, logger: options.logger });
    options.write(`\n# credwatch doctor\n${renderDoctor(doctor)}\n`);
    options.write('\n# credwatch scan (alerts of severity high and above, most severe first)\n\n');
    const store = new MemoryStateStore();
    const { channels } = createChannels(config.channels, { logger: options.logger, write: options.write });
    const scanDeps = { config, store, connect, channels, fetch: createFetch({ caCertificatePem: sim.caCertPem }), logger: options.logger, now };
    const summary = await runScan(scanDeps, tenant);
    options.write(`${renderScanSummary(summary)}\n`);
    skippedMs += SECOND_SCAN_AFTER_IN_MS;
    options.write(
      `\n# credwatch scan, ${SECOND_SCAN_AFTER_IN_MS / 60_000} minutes later (simulated): the audit log query has finished, the blast radius goes out as an update\n\n`,
    );
    options.write(`${renderScanSummary(await runScan(scanDeps, tenant))}\n`);
    const { graph } = connect(tenant);
    const inventory = await collectInventory({ graph, logger: options.logger, now }, tenant.tenantId);
    const assessed = assessInventory(inventory, now(), config.posture);
    options.write(`\n# credwatch inventory\n${renderInventoryTable(inventory, assessed)}\n`);
    // The report of the week so far (the scheduled run reports the last complete week).
    const { files: reportFiles } = await runReport({ store, config, now, logger: options.logger }, tenant, isoWeek(now()), {
      outDir: options.reportDir ?? join(packageRoot(), '.credwatch', 'reports'),
      renderHtml: renderReportHtml,
    });
    options.write(
      `\n# credwatch report (this week so far)\n  ${[reportFiles?.html, reportFiles?.json, reportFiles?.inventoryCsv, reportFiles?.findingsCsv].filter(Boolean).join('\n  ')}\n`,
    );
    options.write(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s.\n`);
    return doctor.ok ? EXIT.OK : EXIT.ERROR;
  } finally {
    await sim.close();
    await teams.close();
  }
}

/** `credwatch simulator`: keep a simulator running for trying the CLI by hand. */
export async function runSimulatorCommand(options: { write: (text: string) => void; port: number; scenario: 'mimecast' | 'quiet' }): Promise<number> {
  const now = new Date();
  const scenario = options.scenario === 'quiet' ? quietScenario(now) : mimecastScenario(now);
  const sim = await startSimulator({ scenario, port: options.port, grantedRoles: DEMO_ROLES });
  const dir = simulatorFilesDir();
  const files = await writeSimulatorFiles(sim, dir);
  const configPath = join(dir, 'credwatch.json');
  // Unlike the demo, the hand-run flow keeps state on disk so scan → status → report build on each
  // other; a new simulator is a new tenant, so its state starts empty.
  const statePath = join(dir, 'state.db');
  await rm(statePath, { force: true });
  await rm(`${statePath}-wal`, { force: true });
  await rm(`${statePath}-shm`, { force: true });
  const raw = { ...(await demoConfigRaw(sim, files)), state: { type: 'sqlite', path: statePath } };
  await writeFile(configPath, `${JSON.stringify(raw, null, 2)}\n`);
  options.write(
    [
      `Tenant simulator listening on ${sim.url} (${options.scenario} scenario).`,
      `Tenant id ${sim.tenantId}; credwatch client id ${sim.credwatchApp.clientId}.`,
      `Wrote ${configPath} (the example configuration pointed at this simulator).`,
      `In another terminal: npm run credwatch -- --config ${configPath} inventory   (or doctor)`,
      'Stop with Ctrl+C.',
      '',
    ].join('\n'),
  );
  await new Promise<void>((done) => {
    const stop = () => done();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await sim.close();
  return EXIT.OK;
}
