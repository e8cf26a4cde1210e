/**
 * The vendor app of the Mimecast-like tenant signs in from outside its ranges with every credential
 * type the beta signIn resource documents, none at all, an empty status and no address: each one is
 * judged through the real scan (MSAL, Graph client, simulator, state, alerts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import type { SignIn } from '../../src/simulator/scenario.js';
import { MemoryStateStore } from '../../src/state/index.js';
import type { StoredAlert, StoredFinding } from '../../src/state/types.js';
import { scanConfig, scanOnce, VENDOR_APP_ID } from '../helpers/scan.js';
import { captureLogger } from '../helpers/tenant.js';

const now = new Date('2026-11-26T12:00:00Z');
const at = new Date(now.getTime() - 30 * 60_000).toISOString();
let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

/** A successful vendor sign-in from a network that is not Mimecast's (AS64999), with `over` applied. */
function foreign(id: string, over: Partial<Record<keyof SignIn, unknown>> = {}): SignIn {
  const template = (mimecastScenario(now).signIns as SignIn[]).find((s) => s.appId === VENDOR_APP_ID && s.ipAddress.startsWith('198.51.100.'))!;
  return {
    ...template,
    id,
    createdDateTime: at,
    ipAddress: '203.0.113.77',
    autonomousSystemNumber: 64999,
    status: { errorCode: 0, failureReason: null, additionalDetails: null },
    ...over,
  } as SignIn;
}

/** Scans the tenant with `rows` added; the findings stored for those rows by sign-in id, and the alerts of their network. */
async function scanWith(rows: SignIn[]): Promise<{ findings: Map<string, StoredFinding['finding']>; alerts: StoredAlert[] }> {
  sim = await startSimulator({ scenario: mimecastScenario(now), now: () => now });
  sim.addSignIns(rows);
  const { config } = await scanConfig(sim);
  const store = new MemoryStateStore({ now: () => now });
  const summary = await scanOnce(sim, config, store, captureLogger('silent').logger, now);
  expect(summary.errors).toEqual([]);
  expect(summary.ruleErrors).toEqual([]);
  const ids = new Set(rows.map((r) => r.id));
  const found = (await store.listFindings('contoso', new Date(0), now)).map((f) => f.finding).filter((f) => f.eventIds.some((id) => ids.has(id)));
  expect(found.length, 'one finding per sign-in').toBe(new Set(found.map((f) => f.eventIds[0])).size);
  const alerts = (await store.listAlerts('contoso', new Date(0), now)).filter((a) => a.network === 'AS64999');
  return { findings: new Map(found.map((f) => [f.eventIds[0]!, f])), alerts };
}

describe('a vendor app signing in from outside its ranges, whatever the credential type', () => {
  it('raises an alert for every credential type and names the type', async () => {
    const { clientCredentialType: _dropped, ...untyped } = foreign('type-absent');
    const { findings } = await scanWith([
      foreign('type-federated', {
        clientCredentialType: 'federatedIdentityCredential',
        servicePrincipalCredentialKeyId: '',
        federatedCredentialId: 'fic-0001',
      }),
      foreign('type-none', { clientCredentialType: 'none' }),
      foreign('type-future', { clientCredentialType: 'unknownFutureValue' }),
      foreign('type-empty', { clientCredentialType: '' }),
      untyped as SignIn,
    ]);
    const seen = (id: string) => [findings.get(id)?.ruleId, findings.get(id)?.severity, findings.get(id)?.details.credentialTypeName];
    // The Mimecast scenario's vendor app reaches every mailbox (full_access_as_app): critical when it gets in.
    expect(seen('type-federated')).toEqual(['signin-federated-outside-allowlist', 'critical', '"federatedIdentityCredential"']);
    expect(seen('type-none')).toEqual(['signin-other-credential-outside-allowlist', 'critical', '"none"']);
    expect(seen('type-future')).toEqual(['signin-other-credential-outside-allowlist', 'critical', '"unknownFutureValue"']);
    expect(seen('type-empty')).toEqual(['signin-other-credential-outside-allowlist', 'critical', 'not recorded']);
    expect(seen('type-absent')).toEqual(['signin-other-credential-outside-allowlist', 'critical', 'not recorded']);
    expect(findings.get('type-federated')?.credentialKeyId).toBe('fic-0001');
    expect(findings.get('type-none')?.summary).toMatch(/^Vendor credential of type "none" for "Mimecast \(simulated\)" used from 203\.0\.113\.77/);
  });

  it('keeps a certificate success on the mailbox-wide vendor app critical, and lowers one without an address by one level, saying so', async () => {
    const { findings } = await scanWith([foreign('cert-ok'), foreign('cert-no-ip', { ipAddress: '' })]);
    expect(findings.get('cert-ok')).toMatchObject({ ruleId: 'signin-cert-outside-allowlist', severity: 'critical', success: true });
    expect(findings.get('cert-no-ip')).toMatchObject({ ruleId: 'signin-cert-outside-allowlist', severity: 'high', ip: undefined });
    expect(findings.get('cert-no-ip')?.summary).toContain('(no usable IP address: one severity level lower)');
  });

  it('shows a sign-in logged with "status": {} as an unknown outcome, counted neither as a success nor as a failure', async () => {
    const { findings, alerts } = await scanWith([foreign('status-empty', { status: {} })]);
    const finding = findings.get('status-empty');
    expect(finding).toMatchObject({ ruleId: 'signin-cert-outside-allowlist', severity: 'critical', success: undefined, details: { outcome: 'unknown' } });
    expect(finding?.summary).toMatch(/the outcome is unknown/);
    expect(alerts.map((a) => [a.ruleId, a.count, a.successCount, a.failureCount])).toEqual([['signin-cert-outside-allowlist', 1, 0, 0]]);
  });
});
