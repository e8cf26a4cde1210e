import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { allowlistStage } from '../../src/scan/stages/allowlists.js';
import { stageRun } from './run.js';
import { noHttp } from '../networks/helpers.js';

const VENDOR_APP_ID = 'bbbbbbbb-0000-4000-8000-0000000000a1';

describe('the allowlist stage', () => {
  it('records each source of each vendor, a readable one as complete with its range count', async () => {
    const run = await stageRun({
      vendors: [{ name: 'Mimecast', appIds: [VENDOR_APP_ID], allowedRanges: [{ type: 'cidrs', cidrs: ['205.139.110.0/24', '207.211.30.0/24'] }] }],
    });
    const result = await allowlistStage(run, { http: noHttp });
    expect(result.sources).toEqual([{ source: 'allowlist:Mimecast:cidrs', status: 'complete', items: 2 }]);
    expect(result.errors).toEqual([]);
    expect(result.allowlists.health.get('Mimecast')).toBe('complete');
  });

  it('records an unreadable source as failed with its code, and never fails itself', async () => {
    // The config refuses a file missing at load time; this one disappears after the config loaded.
    const path = join(await mkdtemp(join(tmpdir(), 'credwatch-allowlist-')), 'mimecast.txt');
    await writeFile(path, '205.139.110.0/24\n');
    const run = await stageRun({
      vendors: [{ name: 'Mimecast', appIds: [VENDOR_APP_ID], allowedRanges: [{ type: 'file', path }] }],
    });
    await rm(path);
    const result = await allowlistStage(run, { http: noHttp });
    expect(result.sources).toEqual([
      expect.objectContaining({
        source: `allowlist:Mimecast:file:${path}`,
        status: 'failed',
        items: 0,
        errorCode: 'ALLOWLIST_SOURCE_FAILED',
      }),
    ]);
    expect(result.errors).toEqual([]);
    expect(result.allowlists.health.get('Mimecast')).toBe('unknown');
  });

  it('fails a named-location source without a Graph connection, saying why', async () => {
    const run = await stageRun({
      vendors: [{ name: 'Acme', appIds: [VENDOR_APP_ID], allowedRanges: [{ type: 'namedLocation', displayName: 'Acme offices' }] }],
    });
    const [source] = (await allowlistStage(run, { http: noHttp })).sources;
    expect(source).toMatchObject({ status: 'failed', message: expect.stringMatching(/named locations need a Graph connection/) });
  });
});
