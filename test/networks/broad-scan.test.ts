import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { renderScanSummary } from '../../src/scan/render.js';
import { mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { MemoryStateStore } from '../../src/state/index.js';
import { deliveredAlerts, scanOnce, VENDOR_APP_ID, VENDOR_TENANT_ID } from '../helpers/scan.js';
import { captureLogger, simulatorConfig } from '../helpers/tenant.js';

// A whole scan against the simulator's Mimecast-like tenant, whose vendor certificate signs in 84
// times from Mimecast's ranges and 12 times from a foreign hosting network (198.51.100.0/24).
const now = new Date('2026-11-26T12:00:00Z');
const MIMECAST_FILE = { type: 'file', path: join(packageRoot(), 'config', 'vendors', 'mimecast-2021.txt') };
const EVERYTHING = { type: 'cidrs', cidrs: ['0.0.0.0/0'] };
const REFUSED =
  /^Vendor "Mimecast", allowlist source \d \(cidrs\) allows 100 % of the IPv4 address space \(0\.0\.0\.0\/0; limit 1 %\); refused — set acceptBroadRanges with a reason to allow it/;

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** One scan with the Mimecast vendor's `allowedRanges` as a user would write them in the file. */
async function scanWith(allowedRanges: unknown[]) {
  sim = await startSimulator({ scenario: mimecastScenario(now), now: () => now });
  const alertsFile = join(await mkdtemp(join(tmpdir(), 'credwatch-broad-')), 'alerts.jsonl');
  const config = await simulatorConfig(sim, 'certificate', {
    extra: {
      vendors: [{ name: 'Mimecast', appIds: [VENDOR_APP_ID], ownerTenantIds: [VENDOR_TENANT_ID], allowedRanges }],
      channels: [{ type: 'jsonl', name: 'file', path: alertsFile, minSeverity: 'informational' }],
    },
  });
  const summary = await scanOnce(sim, config, new MemoryStateStore({ now: () => now }), captureLogger('silent').logger, now);
  const alerts = await deliveredAlerts(alertsFile);
  const byRule = (id: string) => alerts.filter((a) => a.rule.id === id);
  return { summary, byRule, allowlist: summary.sources.filter((s) => s.source.startsWith('allowlist:')) };
}

describe('a scan whose vendor allowlist allows everything', () => {
  it('reports the vendor as unknown and raises collection-failing naming it and why, instead of clearing the stolen certificate', async () => {
    const { summary, byRule, allowlist } = await scanWith([EVERYTHING]);

    expect(allowlist).toEqual([
      expect.objectContaining({
        source: 'allowlist:Mimecast:cidrs',
        status: 'failed',
        errorCode: 'ALLOWLIST_TOO_BROAD',
        message: expect.stringMatching(REFUSED),
      }),
    ]);
    expect(summary.errors).toContainEqual(
      expect.objectContaining({ stage: 'signIns', message: expect.stringMatching(/sign-ins of Mimecast's apps were NOT checked/) }),
    );
    expect(renderScanSummary(summary)).toMatch(
      /NOT COLLECTED OR DEGRADED — unknown, not clean:\n(.*\n)*\s+allowlist:Mimecast:cidrs: failed \(ALLOWLIST_TOO_BROAD\) Vendor "Mimecast", allowlist source 1 \(cidrs\) allows 100 %/,
    );

    // Neither cleared nor flagged: no sign-in verdict at all for the vendor's certificate...
    expect(byRule('signin-cert-outside-allowlist')).toEqual([]);
    // ...and the blind spot is raised at once (a configuration problem does not wait for a second scan).
    const [health, ...more] = byRule('collection-failing');
    expect(more).toEqual([]);
    expect(health).toMatchObject({ severity: 'high', resources: ['allowed networks of Mimecast'] });
    expect(health!['summary']).toMatch(
      /^credwatch cannot read the allowed networks of Mimecast of tenant contoso \(ALLOWLIST_TOO_BROAD, .*\): Mimecast's sign-ins are neither cleared nor flagged\. Vendor "Mimecast", allowlist source 1 \(cidrs\) allows 100 % of the IPv4 address space \(0\.0\.0\.0\/0; limit 1 %\); refused/,
    );
  });

  it("still raises the critical alert when the broad source sits next to the vendor's real list", async () => {
    const { byRule, allowlist } = await scanWith([MIMECAST_FILE, EVERYTHING]);

    expect(allowlist.map((s) => s.status)).toEqual(['complete', 'failed']);
    expect(allowlist[1]?.message).toMatch(REFUSED);
    expect(byRule('signin-cert-outside-allowlist')).toEqual([
      expect.objectContaining({ severity: 'critical', app: expect.objectContaining({ displayName: 'Mimecast (simulated)' }) }),
    ]);
    // One readable source is enough to judge the vendor's sign-ins: no blind spot to raise.
    expect(byRule('collection-failing')).toEqual([]);
  });

  it('still raises the critical alert when a broad list is split so each part is within the limits', async () => {
    // 0.78 % holding the foreign hosting network, and 0.39 %: each passes alone, together 1.17 %.
    const hosting = { type: 'cidrs', cidrs: ['198.0.0.0/8', '199.0.0.0/8'] };
    const { summary, byRule, allowlist } = await scanWith([MIMECAST_FILE, hosting, { type: 'cidrs', cidrs: ['200.0.0.0/8'] }]);

    expect(allowlist.map((s) => s.status)).toEqual(['complete', 'failed', 'complete']);
    expect(allowlist[1]).toMatchObject({ errorCode: 'ALLOWLIST_TOO_BROAD' });
    expect(renderScanSummary(summary)).toMatch(
      /allowlist:Mimecast:cidrs: failed \(ALLOWLIST_TOO_BROAD\) Vendor "Mimecast", allowlist source 2 \(cidrs\) refused: the vendor's sources 1, 2, 3 together allow 1\.17 % of the IPv4 address space/,
    );
    expect(byRule('signin-cert-outside-allowlist')).toEqual([
      expect.objectContaining({ severity: 'critical', app: expect.objectContaining({ displayName: 'Mimecast (simulated)' }) }),
    ]);
    expect(byRule('collection-failing')).toEqual([]);
  });

  it('uses a broad source accepted with a reason, and then the foreign sign-ins are inside: what acceptance costs', async () => {
    const { summary, byRule, allowlist } = await scanWith([
      { type: 'cidrs', cidrs: ['0.0.0.0/0', '::/0'], acceptBroadRanges: { reason: 'test: accepted on purpose' } },
    ]);

    expect(allowlist).toEqual([
      expect.objectContaining({ source: 'allowlist:Mimecast:cidrs', status: 'complete', message: expect.stringMatching(/^broad source in use/) }),
    ]);
    // Every scan summary says it, with the reason, so the exception is never forgotten.
    expect(renderScanSummary(summary)).toMatch(/! allowlist:Mimecast:cidrs: broad source in use: .*test: accepted on purpose/);
    expect(byRule('signin-cert-outside-allowlist')).toEqual([]);
    expect(byRule('collection-failing')).toEqual([]);
  });
});
