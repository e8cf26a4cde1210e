import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { credwatch } from '../helpers/cli.js';

let sim: RunningSimulator;
let dir: string;

async function writeConfig(name: string, auth: Record<string, unknown>): Promise<string> {
  const path = join(dir, name);
  const config = {
    tenants: [
      {
        name: 'contoso',
        tenantId: sim.tenantId,
        endpoints: { authorityHost: sim.url, graphBaseUrl: sim.url, caCertificatePath: 'ca.crt' },
        auth,
      },
    ],
    state: { type: 'memory' },
  };
  await writeFile(path, JSON.stringify(config));
  return path;
}

beforeAll(async () => {
  sim = await startSimulator({ scenario: mimecastScenario(new Date()) });
  dir = await mkdtemp(join(tmpdir(), 'credwatch-cli-'));
  await writeFile(join(dir, 'ca.crt'), sim.caCertPem);
  await writeFile(join(dir, 'app.crt'), sim.credwatchApp.certificatePem);
  await writeFile(join(dir, 'app.key'), sim.credwatchApp.privateKeyPem);
});
afterAll(async () => {
  await sim.close();
});

describe('the credwatch command', () => {
  it('prints the inventory as JSON on stdout, keeps logs on stderr and exits 0', async () => {
    const config = await writeConfig('cert.json', {
      mode: 'certificate',
      clientId: sim.credwatchApp.clientId,
      certificatePath: 'app.crt',
      privateKeyPath: 'app.key',
    });
    const result = await credwatch(['--config', config, 'inventory', '--format', 'json']);
    expect(result.code).toBe(0);
    const doc = JSON.parse(result.stdout) as { apps: Array<{ displayName: string; mailboxCapable: boolean }> };
    expect(doc.apps[0]).toMatchObject({ displayName: 'Mimecast (simulated)', mailboxCapable: true });
  });

  it('reads the config path from CREDWATCH_CONFIG and writes CSV to a file only its owner can read', async () => {
    const config = await writeConfig('secret.json', { mode: 'secret', clientId: sim.credwatchApp.clientId, clientSecretEnv: 'CW_SECRET' });
    const out = join(dir, 'inventory.csv');
    const result = await credwatch(['inventory', '--format', 'csv', '--out', out], { CREDWATCH_CONFIG: config, CW_SECRET: sim.credwatchApp.clientSecret });
    expect(result.code).toBe(0);
    // A byte-order mark first, so Excel reads the names as UTF-8.
    expect((await readFile(out, 'utf8')).split('\n')[0]).toMatch(/^\ufeffappId,displayName/);
    // It names every app, credential and mailbox grant of the tenant.
    expect((await stat(out)).mode & 0o777).toBe(0o600);
  });

  it('exits 2 and lists every configuration problem with its path', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(
      path,
      JSON.stringify({ tenants: [{ name: 'x', tenantId: sim.tenantId, auth: { mode: 'secret', clientId: 'nope', clientSecret: 'inline!' } }], tenantz: [] }),
    );
    const result = await credwatch(['--config', path, 'doctor']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('CONFIG_INVALID');
    expect(result.stderr).toContain('tenants[0].auth.clientSecret');
    expect(result.stderr).toContain('tenants[0].auth.clientId');
    expect(result.stderr).toContain('tenantz');
    expect(result.stderr).not.toContain('inline!');
  });

  it('lists every command in --help, prints the version and exits 0 for both', async () => {
    const help = await credwatch(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['inventory', 'scan', 'report', 'serve', 'status', 'doctor', 'demo', 'simulator']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    const version = await credwatch(['--version']);
    expect(version.code).toBe(0);
    const { version: expected } = JSON.parse(await readFile(join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
    expect(version.stdout.trim()).toBe(expected);
  });

  it("prints a command's own options with its --help, without needing a configuration", async () => {
    const result = await credwatch(['report', '--help'], { CREDWATCH_CONFIG: join(dir, 'does-not-exist.json') });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: credwatch report [options]');
    expect(result.stdout).toContain('--week <YYYY-Www>');
  });

  it('exits 2 on a mistyped command or a choice that does not exist, and shows the usage', async () => {
    const command = await credwatch(['scna']);
    expect(command.code).toBe(2);
    expect(command.stderr).toContain("unknown command 'scna'");
    expect(command.stderr).toContain('Usage: credwatch');
    const choice = await credwatch(['inventory', '--format', 'xml']);
    expect(choice.code).toBe(2);
    expect(choice.stderr).toMatch(/argument 'xml' is invalid/);
    for (const bad of ['0', '90s', 'abc', '1441']) {
      const deadline = await credwatch(['scan', '--max-run-minutes', bad]);
      expect(deadline.code).toBe(2);
      expect(deadline.stderr).toContain(`argument '${bad}' is invalid: expected a duration from 1m to 1d in whole minutes`);
    }
  });

  it('runs scan, status and report through their lazily imported modules', async () => {
    const config = await writeConfig('commands.json', {
      mode: 'certificate',
      clientId: sim.credwatchApp.clientId,
      certificatePath: 'app.crt',
      privateKeyPath: 'app.key',
    });
    const scan = await credwatch(['--config', config, 'scan']);
    // The scenario's posture findings (an expired secret, a password on a vendor's principal…) raise alerts.
    expect(scan.code).toBe(3);
    expect(scan.stdout).toMatch(/^Scan of contoso: .*Graph requests$/m);
    expect(scan.stdout).toContain('LOW · Expired credential still on an app');
    // The memory store lives as long as one process: the next command finds no scan history.
    const status = await credwatch(['--config', config, 'status']);
    expect(status.code).toBe(1);
    expect(status.stdout).toContain('contoso: NO SCAN in the last 30 days');
    const out = join(dir, 'reports');
    const report = await credwatch(['--config', config, 'report', '--week', '2026-W47', '--out', out]);
    // Nothing was collected that week in this store: the report is written and says so (exit 4, unknown, not clean).
    expect(report.code).toBe(4);
    expect(report.stdout).toContain('contoso 2026-W47:');
    expect(report.stdout).toContain(join(out, 'contoso'));
  });

  it('doctor exits 1 and says how to fix a credential the tenant rejects', async () => {
    const config = await writeConfig('wrong.json', { mode: 'secret', clientId: sim.credwatchApp.clientId, clientSecretEnv: 'CW_SECRET' });
    const result = await credwatch(['--config', config, 'doctor'], { CW_SECRET: 'wrong-secret' });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL \[contoso\] token: AUTH_FAILED/);
    expect(result.stdout).toContain('fix:');
    expect(`${result.stdout}${result.stderr}`).not.toContain('wrong-secret');
  });
});
