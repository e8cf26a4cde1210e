import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../src/package-root.js';
import { describe, expect, it } from 'vitest';
import { resolveAllowlists } from '../../src/networks/sources.js';
import { FOREIGN_HOSTING, MIMECAST_RANGES } from '../../src/simulator/scenarios/networks.js';
import { captureLogger } from '../helpers/tenant.js';
import { memoryCache, noHttp, vendor } from './helpers.js';

// Mimecast's published outbound netblocks as of July 2021 (blankcode/msipdelta2, from the SPF
// `_netblocks` records): the allowlist a Mimecast customer would have had during the incident
// (test/fixtures/real/mimecast/README.md).
const CSV = join(packageRoot(), 'test', 'fixtures', 'real', 'mimecast', 'mimecast_netblocks_2021_from_msipdelta2.csv');

describe("Mimecast's real 2021 netblocks as an allowlist", () => {
  const rows = readFileSync(CSV, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split(','));

  async function resolveNetblocks() {
    const dir = await mkdtemp(join(tmpdir(), 'credwatch-mimecast-'));
    const path = join(dir, 'mimecast.txt');
    await writeFile(path, ['# region,cidr from ' + CSV, ...rows.map(([region, cidr]) => `${cidr ?? ''}  # ${region ?? ''}`)].join('\n'));
    const { logger } = captureLogger('warn');
    const resolution = await resolveAllowlists([vendor('Mimecast', [{ type: 'file', path }])], {
      http: noHttp,
      cache: memoryCache(),
      now: () => new Date(),
      logger,
    });
    return { resolution, path };
  }

  it('reads every netblock without a warning', async () => {
    const { resolution } = await resolveNetblocks();
    expect(resolution.sources[0]).toMatchObject({ status: 'ok', ranges: rows.length, warnings: [] });
  });

  it("allows addresses of Mimecast's regions, including /32 hosts and the edges of a /22", async () => {
    const set = (await resolveNetblocks()).resolution.byVendor.get('Mimecast');
    for (const network of MIMECAST_RANGES) expect(set?.contains(network.cidr.replace(/0\/\d+$/, '77')), network.cidr).toBe(true);
    expect(set?.contains('185.58.84.93')).toBe(true);
    expect(set?.contains('185.58.84.94')).toBe(false);
    expect(set?.contains('41.74.192.0')).toBe(true);
    expect(set?.contains('41.74.195.255')).toBe(true);
    expect(set?.contains('41.74.196.0')).toBe(true); // the next /22 is listed too
    expect(set?.contains('41.74.191.255')).toBe(false);
    expect(set?.contains('::ffff:207.211.31.126')).toBe(true);
    expect(set?.contains('207.211.31.128')).toBe(false); // a /25: the upper half is not Mimecast's
  });

  it('does not allow the foreign hosting network the stolen certificate was used from', async () => {
    const set = (await resolveNetblocks()).resolution.byVendor.get('Mimecast');
    expect(set?.contains('198.51.100.40')).toBe(false);
    expect(set?.contains('2001:db8:bad:1::40')).toBe(false);
    expect(FOREIGN_HOSTING.map((n) => n.cidr)).toContain('198.51.100.0/24');
  });
});
