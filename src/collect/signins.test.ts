import { describe, expect, it } from 'vitest';
import { normalizeIp, normalizeSignIn } from './signins.js';

const row = {
  id: '2f1b9c7e-0000-4000-8000-000000000001',
  createdDateTime: '2026-11-25T10:00:00.1234567Z',
  appId: 'bbbbbbbb-0000-4000-8000-0000000000a1',
  appDisplayName: 'Mimecast (simulated)',
  servicePrincipalId: 'sp-1',
  ipAddress: '203.0.113.40',
  location: { city: 'Amsterdam', state: '', countryOrRegion: 'NL' },
  autonomousSystemNumber: 64512,
  resourceId: 'r',
  resourceDisplayName: 'Office 365 Exchange Online',
  clientCredentialType: 'certificate',
  servicePrincipalCredentialKeyId: 'key-1',
  servicePrincipalCredentialThumbprint: 'ABCDEF',
  status: { errorCode: 0, failureReason: '' },
  correlationId: 'c',
};

describe('normalizeSignIn', () => {
  it('reads the beta credential fields and a 7-digit timestamp', () => {
    expect(normalizeSignIn(row)).toMatchObject({
      createdAt: new Date('2026-11-25T10:00:00.123Z'),
      credentialType: 'certificate',
      credentialKeyId: 'key-1',
      outcome: 'success',
      countryOrRegion: 'NL',
      asn: 64512,
      failureReason: undefined,
    });
  });

  it('treats "" as missing for the key id and the thumbprint', () => {
    expect(normalizeSignIn({ ...row, servicePrincipalCredentialKeyId: '', servicePrincipalCredentialThumbprint: '' })).toMatchObject({
      credentialKeyId: undefined,
      credentialThumbprint: undefined,
    });
  });

  it('keeps every documented credential type as logged, unknownFutureValue included', () => {
    for (const type of ['none', 'clientSecret', 'clientAssertion', 'federatedIdentityCredential', 'managedIdentity', 'certificate', 'unknownFutureValue']) {
      expect(normalizeSignIn({ ...row, clientCredentialType: type })).toMatchObject({ credentialType: type, rawCredentialType: undefined });
    }
  });

  it('calls an undocumented credential type unrecognized and keeps the logged text', () => {
    expect(normalizeSignIn({ ...row, clientCredentialType: 'passkeyAssertion' })).toMatchObject({
      credentialType: 'unrecognized',
      rawCredentialType: 'passkeyAssertion',
    });
  });

  it('records a missing or empty credential type as not recorded, never as "none"', () => {
    const { clientCredentialType: _omitted, ...withoutType } = row;
    expect(normalizeSignIn(withoutType)).toMatchObject({ credentialType: 'notRecorded', rawCredentialType: undefined });
    expect(normalizeSignIn({ ...row, clientCredentialType: '' })).toMatchObject({ credentialType: 'notRecorded' });
    expect(normalizeSignIn({ ...row, clientCredentialType: null })).toMatchObject({ credentialType: 'notRecorded' });
  });

  it('reads the federated credential id of a federated sign-in', () => {
    expect(normalizeSignIn({ ...row, clientCredentialType: 'federatedIdentityCredential', federatedCredentialId: 'fic-1' })).toMatchObject({
      federatedCredentialId: 'fic-1',
    });
  });

  it('keeps a garbage IP as raw text and never matches it', () => {
    expect(normalizeSignIn({ ...row, ipAddress: '999.1.1.1' })).toMatchObject({ ipAddress: undefined, rawIpAddress: '999.1.1.1' });
  });

  it('turns an IPv4-mapped IPv6 address into IPv4 and keeps IPv6 as IPv6', () => {
    expect(normalizeIp('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(normalizeIp('2001:db8::1')).toBe('2001:db8::1');
    expect(normalizeIp('')).toBeUndefined();
  });

  it('counts a failed status as a failure', () => {
    expect(normalizeSignIn({ ...row, status: { errorCode: 700027, failureReason: 'Client assertion contains an invalid signature.' } })).toMatchObject({
      outcome: 'failure',
      errorCode: 700027,
    });
  });

  it('reads a status without errorCode, or no status, as an unknown outcome: neither success nor failure', () => {
    const { status: _omitted, ...withoutStatus } = row;
    expect(normalizeSignIn({ ...row, status: {} })).toMatchObject({ outcome: 'unknown', errorCode: undefined });
    expect(normalizeSignIn({ ...row, status: { errorCode: '0' } })).toMatchObject({ outcome: 'unknown' });
    expect(normalizeSignIn(withoutStatus)).toMatchObject({ outcome: 'unknown' });
  });

  it('quarantines a row without id or time, with a reason', () => {
    expect(normalizeSignIn({ ...row, id: '' })).toEqual({ quarantined: 'missing id, createdDateTime or appId', id: undefined });
    expect(normalizeSignIn({ ...row, createdDateTime: 'yesterday' })).toMatchObject({ quarantined: expect.any(String) });
  });
});
