import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { isCredwatchError } from '../../src/errors.js';
import { makeTempDir, managedIdentityTenant, problemsOf, type TempDir } from './fixtures.js';

let dir: TempDir;
const minimal = JSON.stringify({ tenants: [managedIdentityTenant()], channels: [{ type: 'jsonl', path: 'alerts.jsonl' }] });

beforeAll(async () => {
  dir = await makeTempDir();
  await dir.write('etc/credwatch.json', minimal);
  await dir.write('etc/other.json', JSON.stringify({ tenants: [managedIdentityTenant('other')] }));
});
afterAll(() => dir.cleanup());

const errorOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('loadConfig', () => {
  it("reads the file given with --config relative to cwd and resolves paths from the file's directory", async () => {
    const config = await loadConfig({ path: 'etc/credwatch.json', cwd: dir.path, env: {} });

    expect(config.configPath).toBe(`${dir.path}/etc/credwatch.json`);
    expect(config.channels[0]).toMatchObject({ type: 'jsonl', path: `${dir.path}/etc/alerts.jsonl` });
  });

  it('falls back to CREDWATCH_CONFIG, and --config wins over it', async () => {
    const env = { CREDWATCH_CONFIG: `${dir.path}/etc/other.json` };

    expect((await loadConfig({ env })).tenants[0]?.name).toBe('other');
    expect((await loadConfig({ env, path: `${dir.path}/etc/credwatch.json` })).tenants[0]?.name).toBe('contoso');
  });

  it('says how to pass a config when none is given', async () => {
    const error = await errorOf(loadConfig({ env: {} }));

    expect(isCredwatchError(error, 'CONFIG_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toBe(
      'No configuration file given: pass --config PATH or set CREDWATCH_CONFIG (start from config/credwatch.example.json).',
    );
  });

  it('names the missing file and where its path came from', async () => {
    const error = await errorOf(loadConfig({ env: { CREDWATCH_CONFIG: 'nowhere.json' }, cwd: dir.path }));

    expect(isCredwatchError(error, 'CONFIG_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toBe(
      `Cannot read the configuration file ${dir.path}/nowhere.json; check the path in CREDWATCH_CONFIG, or pass --config PATH / set CREDWATCH_CONFIG.`,
    );
  });

  it('reports invalid JSON with its line and column', async () => {
    const path = await dir.write('broken.json', '{\n  "tenants": [\n    { "name": "a" }\n    { "name": "b" }\n  ]\n}\n');
    const problems = await problemsOf(loadConfig({ path, env: {} }));

    // V8's own wording differs between Node versions, so only credwatch's part is pinned down.
    expect(problems).toHaveLength(1);
    expect(problems[0]?.path).toBe('(root)');
    expect(problems[0]?.message).toMatch(/^is not valid JSON at line 4, column 5 \(.+\); comments and trailing commas are not allowed$/);
  });

  it('finds the line and column even when the JSON error does not name a position', async () => {
    const path = await dir.write('token.json', '{\n  "tenants": [],\n  "logging": { "level": }\n}\n');
    const problems = await problemsOf(loadConfig({ path, env: {} }));

    expect(problems[0]?.message).toMatch(/^is not valid JSON at line 3, column 25 /);
  });

  it('names the file in the message of a config with problems', async () => {
    const path = await dir.write('invalid.json', JSON.stringify({ tenants: [] }));
    const error = await errorOf(loadConfig({ path, env: {} }));

    expect((error as Error).message).toBe(`The configuration in ${path} has 1 problem:\n  - tenants: must list at least 1 entry`);
  });

  it('accepts a file that starts with a UTF-8 byte-order mark', async () => {
    const path = await dir.write('bom.json', `\uFEFF${await readFile(`${dir.path}/etc/credwatch.json`, 'utf8')}`);

    expect((await loadConfig({ path, env: {} })).tenants[0]?.name).toBe('contoso');
  });
});
