import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';

const tenant = { name: 'contoso', tenantId: 'aaaaaaaa-0000-4000-8000-000000000001', auth: { mode: 'managedIdentity' } };

async function problems(raw: Record<string, unknown>): Promise<string[]> {
  try {
    await parseConfig({ tenants: [tenant], state: { type: 'memory' }, ...raw }, { env: {} });
    return [];
  } catch (e: unknown) {
    const details = (e as { details?: { problems?: Array<{ path: string; message: string }> } }).details;
    return (details?.problems ?? []).map((p) => `${p.path}: ${p.message}`);
  }
}

describe('detection settings and suppressions', () => {
  it('fills the detection defaults from the specification', async () => {
    const config = await parseConfig({ tenants: [tenant], state: { type: 'memory' } }, { env: {} });
    expect(config.detection).toEqual({ learningPeriodInDays: 7, credentialUseWindowInMinutes: 30, groupingWindowInHours: 24, renotifyAfterInHours: 24 });
    expect(config.suppressions).toEqual([]);
  });

  it('reads a suppression with its expiry as the end of that UTC day', async () => {
    const config = await parseConfig(
      {
        tenants: [tenant],
        state: { type: 'memory' },
        suppressions: [
          { rule: 'signin-new-network', appId: 'aaaaaaaa-0000-4000-8000-0000000000f1', reason: 'vendor migration', owner: 'secops', expires: '2027-01-31' },
        ],
      },
      { env: {} },
    );
    expect(config.suppressions[0]!.expires.toISOString()).toBe('2027-01-31T23:59:59.999Z');
  });

  it('refuses a suppression that would silence a whole rule, and one without owner or a real date', async () => {
    expect(await problems({ suppressions: [{ rule: 'signin-cert-outside-allowlist', reason: 'too noisy', owner: 'me', expires: '2027-01-31' }] })).toEqual([
      'suppressions[0].rule: a suppression must name at least one of appId, network or credentialKeyId; silencing a whole rule is not allowed',
    ]);
    const found = await problems({ suppressions: [{ rule: 'x', network: 'AS1', reason: 'because', expires: '2027-02-30' }] });
    expect(found.some((p) => p.startsWith('suppressions[0].owner'))).toBe(true);
    expect(found.some((p) => p.startsWith('suppressions[0].expires'))).toBe(true);
  });
});
