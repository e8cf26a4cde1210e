import { describe, expect, it } from 'vitest';
import { runRules } from '../../src/detect/run.js';
import type { ClientCredentialType, SignInEvent } from '../../src/events.js';
import { RULES } from '../../src/rules/index.js';
import { signinCertOutsideAllowlist } from '../../src/rules/signin-cert-outside-allowlist.js';
import { signinOtherCredentialOutsideAllowlist } from '../../src/rules/signin-other-credential-outside-allowlist.js';
import { allowlistFor, allowlistOk, FULL_ACCESS_AS_APP, inventoryApp, MIMECAST_RANGES, signIn, testContext, withApps } from './kit.js';

const context = testContext({
  ...withApps(inventoryApp({ mailboxPermissions: [FULL_ACCESS_AS_APP] })),
  ...allowlistFor(allowlistOk(MIMECAST_RANGES, 'Mimecast')),
});
const NOOP_LOGGER = { error: () => undefined };

/** The outside-allowlist findings every rule of the catalogue raises for one sign-in. */
function outside(over: Partial<SignInEvent>) {
  return runRules(RULES, [signIn(over)], context, NOOP_LOGGER).findings.filter((f) => f.ruleId.endsWith('-outside-allowlist'));
}

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
      details: {
        credentialType: 'certificate',
        credentialTypeName: '"certificate"',
        mailboxReach: 'allMailboxes',
        vendor: 'Mimecast',
        ipParsed: true,
        note: null,
        outcome: 'success',
      },
    });
    expect(finding?.allowlist.map((p) => p.cidr)).toEqual([...MIMECAST_RANGES]);
  });

  it('fires one level lower without a usable address, and says so in the summary and the note', () => {
    const [finding] = signinCertOutsideAllowlist.match(
      signIn({ ipAddress: undefined, rawIpAddress: 'garbage', asn: undefined, countryOrRegion: undefined }),
      context,
    );
    expect(finding?.severity).toBe('high');
    expect(finding?.summary).toContain('an unparseable address "garbage"');
    expect(finding?.summary).toContain("not shown to be inside Mimecast's allowed ranges (no usable IP address: one severity level lower)");
    expect(finding?.network).toBeUndefined();
    expect(finding?.details).toMatchObject({ ipParsed: false, rawIpAddress: 'garbage' });
    expect(String(finding?.details.note)).toMatch(/nothing shows it came from the vendor's ranges; the severity is one level lower/);
  });

  it('names the failure and keys an IPv6 address by its /48', () => {
    const [finding] = signinCertOutsideAllowlist.match(signIn({ ipAddress: '2001:db8:5::7', asn: undefined, outcome: 'failure', errorCode: 7000215 }), context);
    expect(finding?.severity).toBe('high');
    expect(finding?.success).toBe(false);
    expect(finding?.network).toBe('2001:db8:5::/48');
    expect(finding?.summary).toMatch(/the sign-in failed \(AADSTS7000215\)$/);
  });

  it('shows a status without errorCode as an unknown outcome: neither a success nor a failure, and not lowered', () => {
    const [finding] = signinCertOutsideAllowlist.match(signIn({ outcome: 'unknown', errorCode: undefined }), context);
    expect(finding?.severity).toBe('critical');
    expect(finding?.success).toBeUndefined();
    expect(finding?.details.outcome).toBe('unknown');
    expect(finding?.summary).toMatch(/; the outcome is unknown \(the log records no status error code\)$/);
  });
});

describe('the outside-allowlist rules together', () => {
  const ALL: ClientCredentialType[] = [
    'none',
    'clientSecret',
    'clientAssertion',
    'federatedIdentityCredential',
    'managedIdentity',
    'certificate',
    'unknownFutureValue',
    'unrecognized',
    'notRecorded',
  ];

  it.each(ALL)('judge a "%s" sign-in of a vendor app from outside its ranges exactly once, critical on a mailbox-wide app', (credentialType) => {
    const findings = outside({ credentialType, rawCredentialType: credentialType === 'unrecognized' ? 'passkeyAssertion' : undefined });
    expect(findings.map((f) => f.severity)).toEqual(['critical']);
  });

  it.each([
    ['federatedIdentityCredential', 'signin-federated-outside-allowlist', 'Vendor federated credential for "Mimecast Services"'],
    ['none', 'signin-other-credential-outside-allowlist', 'Vendor credential of type "none" for "Mimecast Services"'],
    ['unknownFutureValue', 'signin-other-credential-outside-allowlist', 'Vendor credential of type "unknownFutureValue" for "Mimecast Services"'],
    ['notRecorded', 'signin-other-credential-outside-allowlist', 'Vendor credential of unrecorded type for "Mimecast Services"'],
  ] as const)('name a "%s" sign-in\'s type in the alert (%s)', (credentialType, ruleId, start) => {
    const [finding] = outside({ credentialType });
    expect(finding?.ruleId).toBe(ruleId);
    expect(finding?.summary.startsWith(start)).toBe(true);
    expect(finding?.details.credentialType).toBe(credentialType);
  });

  it('say "not recorded" for a type the log left empty or absent', () => {
    const [finding] = outside({ credentialType: 'notRecorded' });
    expect(finding?.details).toMatchObject({ credentialTypeName: 'not recorded', rawCredentialType: null });
  });

  it('keep an undocumented type visible exactly as it was logged', () => {
    const [finding] = outside({ credentialType: 'unrecognized', rawCredentialType: 'passkeyAssertion' });
    expect(finding?.summary).toContain('credential of type "passkeyAssertion" (not a documented value)');
    expect(finding?.details).toMatchObject({ credentialType: 'unrecognized', rawCredentialType: 'passkeyAssertion' });
  });

  it('group a federated sign-in by its federated credential when no key id is logged', () => {
    const [finding] = outside({ credentialType: 'federatedIdentityCredential', credentialKeyId: undefined, federatedCredentialId: 'fic-0001' });
    expect(finding).toMatchObject({ credentialKeyId: 'fic-0001', details: { federatedCredentialId: 'fic-0001' } });
  });

  it('leave a managed identity the inventory confirms to the customer, and judge one it does not', () => {
    const managed = inventoryApp({ servicePrincipalType: 'ManagedIdentity', ownership: 'own', mailboxPermissions: [FULL_ACCESS_AS_APP] });
    const confirmed = testContext({ ...withApps(managed), ...allowlistFor(allowlistOk(MIMECAST_RANGES, 'Mimecast')) });
    expect(runRules(RULES, [signIn({ credentialType: 'managedIdentity' })], confirmed, NOOP_LOGGER).findings).toEqual([]);
    const [claimed] = signinOtherCredentialOutsideAllowlist.match(signIn({ credentialType: 'managedIdentity' }), context);
    expect(claimed?.summary).toContain('credential of type "managedIdentity" (the inventory does not show a managed identity)');
  });
});
