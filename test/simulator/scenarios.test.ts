import { X509Certificate, createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { mimecastScenario, quietScenario, syntheticScenario, type LazySignIns, type Scenario, type SignIn } from '../../src/simulator/index.js';

const NOW = new Date('2026-03-02T12:00:00Z');
const DAY = 86_400_000;
const EXCHANGE = '00000002-0000-0ff1-ce00-000000000000';
const FULL_ACCESS = 'dc890d15-9560-4a4c-9b7f-a736ec74ec40';
const MIMECAST_PREFIXES = ['205.139.110.', '216.205.24.', '170.10.129.', '195.130.217.', '91.220.42.', '146.101.78.', '51.163.158.'];

const signInsOf = (s: Scenario): SignIn[] => (Array.isArray(s.signIns) ? s.signIns : []);
const vendorOf = (s: Scenario) => s.servicePrincipals.find((sp) => sp.displayName === 'Mimecast (simulated)');

describe('the Mimecast-like scenario', () => {
  const scenario = mimecastScenario(NOW);
  const vendor = vendorOf(scenario);

  it('has a third-party vendor holding full_access_as_app on Exchange with no visible credentials', () => {
    const exchange = scenario.servicePrincipals.find((sp) => sp.appId === EXCHANGE);
    expect(vendor).toMatchObject({ appOwnerOrganizationId: 'bbbbbbbb-0000-4000-8000-000000000002', keyCredentials: [], passwordCredentials: [] });
    expect(exchange?.appOwnerOrganizationId).toBe('f8cdef31-a31e-4b4a-93e4-5f571e91255a');
    expect(exchange?.appRoles.find((r) => r.value === 'full_access_as_app')?.id).toBe(FULL_ACCESS);
    expect(scenario.appRoleAssignments).toContainEqual(expect.objectContaining({ principalId: vendor?.id, resourceId: exchange?.id, appRoleId: FULL_ACCESS }));
  });

  it('has the vendor certificate signing in from foreign networks in the last day, some failing', () => {
    const vendorSignIns = signInsOf(scenario).filter((s) => s.servicePrincipalId === vendor?.id);
    const foreign = vendorSignIns.filter((s) => !MIMECAST_PREFIXES.some((p) => s.ipAddress.startsWith(p)));
    expect(foreign).toHaveLength(12);
    expect(foreign.every((s) => Date.parse(s.createdDateTime) > NOW.getTime() - DAY && Date.parse(s.createdDateTime) <= NOW.getTime())).toBe(true);
    expect(foreign.filter((s) => s.status.errorCode !== 0)).toHaveLength(3);
    expect(foreign.some((s) => s.ipAddress.includes(':'))).toBe(true);
    expect(new Set(vendorSignIns.map((s) => s.servicePrincipalCredentialThumbprint)).size).toBe(1);
    expect(new Set(vendorSignIns.map((s) => s.clientCredentialType))).toEqual(new Set(['certificate', 'clientAssertion']));
  });

  it('stores real certificates with Entra customKeyIdentifier, including a weak long-lived one', () => {
    for (const app of scenario.applications) {
      for (const key of app.keyCredentials) {
        const der = Buffer.from(key.key ?? '', 'base64');
        new X509Certificate(der);
        expect(key.customKeyIdentifier).toBe(createHash('sha1').update(der).digest('base64'));
      }
    }
    const backup = scenario.applications.find((a) => a.displayName === 'Contoso Backup')?.keyCredentials[0];
    const cert = new X509Certificate(Buffer.from(backup?.key ?? '', 'base64'));
    expect(cert.publicKey.asymmetricKeyDetails?.modulusLength).toBe(1024);
    expect(Date.parse(backup?.endDateTime ?? '') - Date.parse(backup?.startDateTime ?? '')).toBeGreaterThan(3 * 365 * DAY - 2 * DAY);
  });

  it('shares one certificate between two apps and puts a secret on the partner service principal', () => {
    const thumbprints = scenario.applications.flatMap((a) => a.keyCredentials.map((k) => k.customKeyIdentifier));
    expect(thumbprints.length - new Set(thumbprints).size).toBe(1);
    expect(scenario.servicePrincipals.find((sp) => sp.displayName === 'Partner Connector')?.passwordCredentials).toHaveLength(1);
  });

  it('logs the credential change with the en dash and trailing space seen in the wild', () => {
    const change = scenario.directoryAudits.find((a) => a.activityDisplayName.includes('Certificates and secrets management'));
    expect(change?.activityDisplayName).toBe('Update application – Certificates and secrets management ');
    expect(change?.targetResources[0]?.modifiedProperties[0]?.displayName).toBe('KeyDescription');
  });
});

describe('the quiet scenario', () => {
  const scenario = quietScenario(NOW);

  it('has vendor sign-ins only from Mimecast ranges and nothing expiring, expired or long-lived', () => {
    const vendor = vendorOf(scenario);
    const vendorSignIns = signInsOf(scenario).filter((s) => s.servicePrincipalId === vendor?.id);
    expect(vendorSignIns.length).toBeGreaterThan(0);
    expect(vendorSignIns.every((s) => MIMECAST_PREFIXES.some((p) => s.ipAddress.startsWith(p)))).toBe(true);
    const credentials = scenario.applications.flatMap((a) => [...a.keyCredentials, ...a.passwordCredentials]);
    for (const c of credentials) {
      expect(Date.parse(c.endDateTime) - NOW.getTime()).toBeGreaterThan(30 * DAY);
      expect(Date.parse(c.endDateTime) - Date.parse(c.startDateTime)).toBeLessThanOrEqual(365 * DAY);
    }
    expect(scenario.directoryAudits).toEqual([]);
  });
});

describe('the synthetic scenario', () => {
  it('is deterministic and generates sign-ins lazily in ascending time', () => {
    const a = syntheticScenario({ servicePrincipals: 5_000, signIns: 1_000_000, seed: 7, now: NOW });
    const b = syntheticScenario({ servicePrincipals: 5_000, signIns: 1_000_000, seed: 7, now: NOW });
    expect(a.servicePrincipals).toHaveLength(5_000);
    expect(a.servicePrincipals.map((sp) => sp.id)).toEqual(b.servicePrincipals.map((sp) => sp.id));
    const lazy = a.signIns as LazySignIns;
    expect(lazy.count).toBe(1_000_000);
    expect(lazy.at(123_456)).toEqual((b.signIns as LazySignIns).at(123_456));
    expect(lazy.at(10).createdDateTime <= lazy.at(11).createdDateTime).toBe(true);
    expect(Date.parse(lazy.at(999_999).createdDateTime)).toBeLessThanOrEqual(NOW.getTime());
    expect(a.appRoleAssignments.length).toBeGreaterThan(100);
  });
});
