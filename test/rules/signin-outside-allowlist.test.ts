import { describe, expect, it } from 'vitest';
import { signinCertOutsideAllowlist } from '../../src/rules/signin-cert-outside-allowlist.js';
import { allowlistFor, allowlistOk, FULL_ACCESS_AS_APP, inventoryApp, MIMECAST_RANGES, signIn, testContext, withApps } from '../../src/rules/testing.js';

const context = testContext({ ...withApps(inventoryApp({ mailboxPermissions: [FULL_ACCESS_AS_APP] })), ...allowlistFor(allowlistOk(MIMECAST_RANGES, 'Mimecast')) });

describe('signin-cert-outside-allowlist', () => {
  it('alerts when the vendor certificate signs in from an unknown network, with everything the alert needs', () => {
    const [finding, ...rest] = signinCertOutsideAllowlist.match(signIn(), context);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      ruleId: 'signin-cert-outside-allowlist',
      severity: 'critical',
      tenant: 'contoso.onmicrosoft.com',
      appDisplayName: 'Mimecast Services',
      credentialKeyId: 'a1b2c3d4-1111-4111-8111-000000000001',
      network: 'AS64512',
      eventIds: ['signin-1'],
      ip: '203.0.113.40',
      country: 'NL',
      asn: 64512,
      resource: 'Office 365 Exchange Online',
      success: true,
      summary: 'Vendor certificate for "Mimecast Services" used from 203.0.113.40 (NL, AS64512), outside Mimecast\'s allowed ranges',
      details: { mailboxReach: 'allMailboxes', vendor: 'Mimecast', ipParsed: true, note: null },
    });
    expect(finding?.allowlist.map((p) => p.cidr)).toEqual([...MIMECAST_RANGES]);
  });

  it('says why a sign-in without a usable address still fires', () => {
    const [finding] = signinCertOutsideAllowlist.match(signIn({ ipAddress: undefined, rawIpAddress: 'garbage', asn: undefined, countryOrRegion: undefined }), context);
    expect(finding?.summary).toContain('an unparseable address "garbage"');
    expect(finding?.network).toBeUndefined();
    expect(finding?.details).toMatchObject({ ipParsed: false, rawIpAddress: 'garbage' });
    expect(String(finding?.details.note)).toMatch(/nothing shows it came from the vendor/);
  });

  it('names the failure and keys an IPv6 address by its /48', () => {
    const [finding] = signinCertOutsideAllowlist.match(signIn({ ipAddress: '2001:db8:5::7', asn: undefined, success: false, errorCode: 7000215 }), context);
    expect(finding?.severity).toBe('high');
    expect(finding?.network).toBe('2001:db8:5::/48');
    expect(finding?.summary).toMatch(/the sign-in failed \(AADSTS7000215\)$/);
  });
});
