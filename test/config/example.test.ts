import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cidrProblem } from '../../src/config/cidr.js';
import { configJsonSchema, loadConfig } from '../../src/config/index.js';
import { renderConfigJsonSchema } from '../../src/config/write-schema.js';
import { makeCertificate, makeTempDir, type TempDir, type TestCertificate } from './fixtures.js';

const repo = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));

let dir: TempDir;
let app: TestCertificate;
let ca: TestCertificate;

beforeAll(async () => {
  [app, ca] = await Promise.all([makeCertificate('credwatch-app'), makeCertificate('simulator-ca')]);
  dir = await makeTempDir();
  // The same layout as the repository: config/ next to the .credwatch/simulator/ files the demo writes.
  await dir.write('config/credwatch.example.json', await readFile(repo('config/credwatch.example.json'), 'utf8'));
  await dir.write('.credwatch/simulator/credwatch-app.crt', app.certificatePem);
  await dir.write('.credwatch/simulator/credwatch-app.key', app.privateKeyPem);
  await dir.write('.credwatch/simulator/ca.crt', ca.certificatePem);
  // Allowlist files named in the config must exist when it loads.
  await dir.write('config/vendors/mimecast-2021.txt', await readFile(repo('config/vendors/mimecast-2021.txt'), 'utf8'));
});
afterAll(() => dir.cleanup());

/** Every property name the schema knows, at any depth. */
function propertyNames(node: unknown, names = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach((child) => propertyNames(child, names));
  else if (node !== null && typeof node === 'object') {
    for (const [key, child] of Object.entries(node)) {
      if (key === 'properties' && child !== null && typeof child === 'object') Object.keys(child).forEach((name) => names.add(name));
      propertyNames(child, names);
    }
  }
  return names;
}

describe('the shipped configuration files', () => {
  it('loads the example config with the files the demo writes and the channel variables set', async () => {
    const env = {
      CREDWATCH_TEAMS_URL: 'https://prod-00.westus.logic.azure.com/workflows/abc/triggers/manual/paths/invoke?sig=x',
      CREDWATCH_WEBHOOK_URL: 'https://siem.contoso.com/credwatch',
      CREDWATCH_WEBHOOK_SECRET: 'webhook-signing-key',
    };
    const config = await loadConfig({ path: `${dir.path}/config/credwatch.example.json`, env });
    const tenant = config.tenants[0];

    expect(tenant?.endpoints.authorityHost).toBe('https://127.0.0.1:8443');
    expect(tenant?.endpoints.caCertificatePem?.trim()).toBe(ca.certificatePem.trim());
    expect(tenant?.auth.mode === 'certificate' && tenant.auth.thumbprintSha256).toBe(new X509Certificate(app.certificatePem).fingerprint256.replace(/:/g, ''));
    expect(config.vendors[0]?.allowedRanges.map((r) => r.type)).toEqual(['cidrs', 'file', 'url', 'namedLocation']);
    expect(config.vendors[0]?.allowedRanges[1]).toEqual({ type: 'file', path: `${dir.path}/config/vendors/mimecast-2021.txt` });
    expect(config.channels.map((c) => c.name)).toEqual(['console', 'alert-log', 'soc-teams', 'soc-mail', 'siem']);
    expect(config.state).toEqual({ type: 'sqlite', path: `${dir.path}/.credwatch/state.db` });
  });

  it('keeps config/credwatch.schema.json in step with the schema (run npm run schema)', async () => {
    expect(await readFile(repo('config/credwatch.schema.json'), 'utf8')).toBe(renderConfigJsonSchema());
  });

  it('publishes a draft 2020-12 JSON Schema that rejects unknown keys', () => {
    const schema = configJsonSchema();

    expect(schema['$schema']).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema['additionalProperties']).toBe(false);
    expect(schema['required']).toEqual(['tenants']);
  });

  it('explains every option of the schema in docs/configuration.md', async () => {
    const docs = await readFile(repo('docs/configuration.md'), 'utf8');
    const missing = [...propertyNames(configJsonSchema())].filter((name) => !docs.includes(`\`${name}\``));

    expect(missing).toEqual([]);
  });

  it('ships a Mimecast allowlist file with only valid CIDRs, each under a comment naming its source', async () => {
    const text = await readFile(repo('config/vendors/mimecast-2021.txt'), 'utf8');
    const entries = text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));

    expect(entries).toHaveLength(43);
    expect(entries.filter((cidr) => cidrProblem(cidr) !== undefined)).toEqual([]);
    expect(text).toMatch(/^# .*_netblocks\.mimecast\.com/m);
  });
});
