/**
 * Command-line misuse, through the real CLI in a child process (test/helpers/cli.ts): what a
 * mistyped command line, a hostile config or a missing allowlist file does to the exit code and to
 * what is printed. The catalogue entries are in cases/cli.ts.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStateStore } from '../../src/state/index.js';
import { mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { credwatch } from '../helpers/cli.js';

let sim: RunningSimulator;
let dir: string;

/** A config file against the simulator (certificate auth), with `extra` top-level keys. */
async function writeConfig(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const path = join(dir, name);
  const tenant = {
    name: 'contoso',
    tenantId: sim.tenantId,
    endpoints: { authorityHost: sim.url, graphBaseUrl: sim.url, caCertificatePath: 'ca.crt' },
    auth: { mode: 'certificate', clientId: sim.credwatchApp.clientId, certificatePath: 'app.crt', privateKeyPath: 'app.key' },
  };
  await writeFile(path, JSON.stringify({ tenants: [tenant], state: { type: 'memory' }, ...extra }));
  return path;
}

const vendor = (path: string) => ({ name: 'Mimecast', appIds: [sim.credwatchApp.clientId], allowedRanges: [{ type: 'file', path }] });

beforeAll(async () => {
  sim = await startSimulator({ scenario: mimecastScenario(new Date()) });
  dir = await mkdtemp(join(tmpdir(), 'credwatch-faults-cli-'));
  await writeFile(join(dir, 'ca.crt'), sim.caCertPem);
  await writeFile(join(dir, 'app.crt'), sim.credwatchApp.certificatePem);
  await writeFile(join(dir, 'app.key'), sim.credwatchApp.privateKeyPem);
});
afterAll(async () => {
  await sim.close();
});

describe('command-line misuse', () => {
  it('exits 2 on an unknown flag and lists the options the command has', async () => {
    const result = await credwatch(['scan', '--bogus']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error: unknown option '--bogus'");
    expect(result.stderr).toContain('--max-run-minutes <duration>');
  });

  it('exits 2 on an unknown command and lists the commands there are', async () => {
    const result = await credwatch(['scna']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error: unknown command 'scna'");
    for (const command of ['inventory', 'scan', 'report', 'serve', 'status', 'doctor']) expect(result.stderr).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
  });

  it('exits 2 on a --stale-after that is not a duration, naming the forms it accepts', async () => {
    for (const bad of ['abc', '1x', '0']) {
      const result = await credwatch(['status', '--stale-after', bad]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        `option '--stale-after <duration>' argument '${bad}' is invalid: expected a duration from 1m to 30d, such as 90m, 2h or 1d (a plain number counts minutes)`,
      );
    }
  });

  it('counts a tenant overdue by --stale-after in minutes when plain, or in the unit given', async () => {
    const statePath = join(dir, 'status.db');
    const config = await writeConfig('status.json', { state: { type: 'sqlite', path: statePath } });
    const store = await openStateStore({ type: 'sqlite', path: statePath });
    const finishedAt = new Date(Date.now() - 2 * 3_600_000);
    await store.recordScan({ tenant: 'contoso', startedAt: finishedAt, finishedAt, sources: [], errors: [], summaryJson: '{}' });
    await store.close();
    for (const [staleAfter, overdue] of [
      ['90', true],
      ['1h', true],
      ['150', false],
      ['3h', false],
      ['1d', false],
    ] as const) {
      const result = await credwatch(['--config', config, 'status', '--stale-after', staleAfter]);
      expect({ staleAfter, code: result.code, overdue: result.stdout.includes('OVERDUE') }).toEqual({ staleAfter, code: overdue ? 1 : 0, overdue });
    }
  });

  it('exits 2 on a --log-level that does not exist, naming the levels', async () => {
    const result = await credwatch(['--log-level', 'bogus', 'status']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("argument 'bogus' is invalid. Allowed choices are fatal, error, warn, info, debug, trace, silent.");
    expect(result.stderr).not.toContain('INTERNAL');
  });

  it('prints the package version with --version and exits 0', async () => {
    const result = await credwatch(['--version']);
    expect(result).toEqual({ code: 0, stdout: `${(await import('../../package.json', { with: { type: 'json' } })).default.version}\n`, stderr: '' });
  });

  it('prints only JSON on stdout with scan --json; the stdout channel writes its alerts to stderr', async () => {
    const config = await writeConfig('json.json', { channels: [{ type: 'stdout' }] });
    const result = await credwatch(['--config', config, 'scan', '--json']);
    expect(result.code).toBe(3);
    const summaries = JSON.parse(result.stdout) as Array<{ tenant: string; alerts: { raised: number } }>;
    expect(summaries[0]?.tenant).toBe('contoso');
    expect(summaries[0]?.alerts.raised).toBeGreaterThan(0);
    expect(result.stderr).toContain('LOW · Expired credential still on an app');
  });

  it('refuses __proto__, constructor and prototype keys anywhere in the config with CONFIG_INVALID and their paths', async () => {
    const path = join(dir, 'proto.json');
    const tenant = { name: 'contoso', tenantId: sim.tenantId, auth: { mode: 'managedIdentity', prototype: {} } };
    // Written as text: JSON.stringify of an object literal would not keep a "__proto__" key.
    await writeFile(path, `{"__proto__": {"polluted": true}, "tenants": [${JSON.stringify(tenant)}], "logging": {"constructor": {"level": "x"}}}`);
    const result = await credwatch(['--config', path, 'status']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('CONFIG_INVALID');
    expect(result.stderr).toContain('  - __proto__: "__proto__" is not allowed as a key anywhere in the file');
    expect(result.stderr).toContain('  - logging.constructor: "constructor" is not allowed');
    expect(result.stderr).toContain('  - tenants[0].auth.prototype: "prototype" is not allowed');
    expect(result.stderr).not.toContain('INTERNAL');
  });

  it('refuses a config whose allowlist file is missing, naming the vendor and the path', async () => {
    const missing = join(dir, 'no-such-ranges.txt');
    const config = await writeConfig('missing.json', { vendors: [vendor(missing)] });
    for (const command of ['status', 'doctor']) {
      const result = await credwatch(['--config', config, command]);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(`vendors[0].allowedRanges[0].path: vendor "Mimecast": cannot read allowlist file ${missing} (no such file)`);
    }
  });

  it('doctor fails the check of an allowlist file that holds no valid range, naming the vendor and the path', async () => {
    const ranges = join(dir, 'bad-ranges.txt');
    await writeFile(ranges, 'not-a-network\n');
    const config = await writeConfig('bad-ranges.json', { vendors: [vendor(ranges)] });
    const result = await credwatch(['--config', config, 'doctor']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`FAIL [vendor "Mimecast"] allowlist file:${ranges}: CONFIG_INVALID`);
    expect(result.stdout).toMatch(/ok {3}\[contoso\] token/);
  });
});
