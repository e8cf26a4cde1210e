import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { resolveAllowlists } from '../../src/networks/index.js';
import { captureLogger } from '../helpers/tenant.js';
import { memoryCache, noHttp } from '../networks/helpers.js';
import { lines, makeTempDir, managedIdentityTenant, problemsOf } from './fixtures.js';

const GUID = '11111111-2222-3333-4444-555555555555';
const vendor = (allowedRanges: unknown[], extra: Record<string, unknown> = {}) => ({ name: 'Mimecast', appIds: [GUID], allowedRanges, ...extra });
const load = (vendors: unknown[], baseDir = '/srv/credwatch') => parseConfig({ tenants: [managedIdentityTenant()], vendors }, { env: {}, baseDir });

describe('configuring broad allowlist sources', () => {
  it('accepts acceptBroadRanges with a reason on a source, and stricter limits without one', async () => {
    const config = await load([
      vendor([{ type: 'cidrs', cidrs: ['0.0.0.0/0'], acceptBroadRanges: { reason: 'lab tenant (SEC-1234)' } }], {
        broadRangeLimits: { maxIPv4Percent: 0.01, shortestIPv4Prefix: 16 },
      }),
    ]);
    const [v] = config.vendors as unknown as [{ allowedRanges: unknown[]; broadRangeLimits: unknown }];
    expect(v.allowedRanges).toEqual([{ type: 'cidrs', cidrs: ['0.0.0.0/0'], acceptBroadRanges: { reason: 'lab tenant (SEC-1234)' } }]);
    expect(v.broadRangeLimits).toEqual({ shortestIPv4Prefix: 16, shortestIPv6Prefix: 16, maxIPv4Percent: 0.01, maxIPv6Percent: 1, maxIPv6Slash32s: 1 });
  });

  it('requires a non-blank reason to accept a broad source, naming the path', async () => {
    const problems = await problemsOf(
      load([
        vendor([
          { type: 'cidrs', cidrs: ['0.0.0.0/0'], acceptBroadRanges: { reason: '   ' } },
          { type: 'namedLocation', displayName: 'Anywhere', acceptBroadRanges: {} },
        ]),
      ]),
    );
    expect(lines(problems)).toEqual([
      'vendors[0].allowedRanges[0].acceptBroadRanges.reason: say why this source may allow so much of the internet (a non-empty reason; it is repeated in every warning)',
      expect.stringMatching(/^vendors\[0\]\.allowedRanges\[1\]\.acceptBroadRanges\.reason: /),
    ]);
  });

  it('requires a reason for limits looser than the defaults, and keeps limits in range', async () => {
    const problems = await problemsOf(
      load([
        vendor([{ type: 'cidrs', cidrs: ['10.0.0.0/7'] }], { broadRangeLimits: { shortestIPv4Prefix: 7, maxIPv6Percent: 2, maxIPv6Slash32s: 8 } }),
        { ...vendor([], { broadRangeLimits: { shortestIPv4Prefix: 33, maxIPv4Percent: 0, maxIPv6Slash32s: 0 } }), name: 'Other' },
      ]),
    );
    expect(lines(problems)).toEqual([
      'vendors[0].broadRangeLimits.reason: required because a limit is looser than its default: shortestIPv4Prefix is 7 (default 8), maxIPv6Percent is 2 (default 1), maxIPv6Slash32s is 8 (default 1). Say why, or accept only the source that needs it with acceptBroadRanges',
      'vendors[1].broadRangeLimits.maxIPv4Percent: must be greater than 0',
      'vendors[1].broadRangeLimits.maxIPv6Slash32s: must be greater than 0',
      'vendors[1].broadRangeLimits.shortestIPv4Prefix: must be at most 32',
    ]);
  });

  it("carries an inline source's acceptance from the file to the matcher", async () => {
    const config = await load([vendor([{ type: 'cidrs', cidrs: ['0.0.0.0/0'], acceptBroadRanges: { reason: 'lab tenant' } }])]);
    const resolution = await resolveAllowlists(config.vendors, {
      http: noHttp,
      cache: memoryCache(),
      now: () => new Date(),
      logger: captureLogger('silent').logger,
    });
    expect(resolution.sources[0]).toMatchObject({ status: 'ok', broad: { decision: 'accepted', reason: 'lab tenant' } });
  });

  // src/config/resolve.ts rebuilds a file source as { type, path }, dropping acceptBroadRanges, so
  // the file is refused (fail-safe) until it keeps the source's other keys. Turns green then: flip it.
  it("carries a file source's acceptance from the file to the matcher", async () => {
    const dir = await makeTempDir();
    await dir.write('everything.txt', '0.0.0.0/0\n');
    const config = await load([vendor([{ type: 'file', path: 'everything.txt', acceptBroadRanges: { reason: 'lab tenant' } }])], dir.path);
    const resolution = await resolveAllowlists(config.vendors, {
      http: noHttp,
      cache: memoryCache(),
      now: () => new Date(),
      logger: captureLogger('silent').logger,
    });
    await dir.cleanup();
    expect(resolution.sources[0]).toMatchObject({ status: 'ok', broad: { decision: 'accepted' } });
  });
});
