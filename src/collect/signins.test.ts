import { describe, expect, it } from 'vitest';
import { createGraphApi } from '../graph/client.js';
import { createLogger } from '../logging.js';
import { normalizeIp, normalizeSignIn, normalizeSignInSharing, readSignInPages, SharedSignInValues } from './signins.js';

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

describe('normalizeSignInSharing', () => {
  it('makes the same event as normalizeSignIn, with repeated values shared between events', () => {
    const shared = new SharedSignInValues();
    // Copies made at run time, as JSON.parse makes one per record.
    const copy = (text: string) => [...text].join('');
    const first = normalizeSignInSharing({ ...row, appId: copy(row.appId), ipAddress: copy(row.ipAddress) }, shared);
    const second = normalizeSignInSharing({ ...row, id: 'other', appId: copy(row.appId), ipAddress: copy(row.ipAddress) }, shared);
    expect(first).toEqual(normalizeSignIn(row));
    expect(second).toEqual({ ...normalizeSignIn(row), id: 'other' });
    expect(shared.string(copy(row.appId))).toBe((first as { appId: string }).appId);
    expect(normalizeSignInSharing({ ...row, ipAddress: '::ffff:203.0.113.7' }, shared)).toMatchObject({ ipAddress: '203.0.113.7' });
    expect(normalizeSignInSharing({ ...row, id: '' }, shared)).toEqual(normalizeSignIn({ ...row, id: '' }));
  });

  it('makes events that are plain objects', () => {
    const event = normalizeSignInSharing(row, new SharedSignInValues());
    expect(Object.getPrototypeOf(event)).toBe(Object.prototype);
    expect(event).toStrictEqual({ ...normalizeSignIn(row) });
    expect(Object.keys(event)).toEqual(Object.keys({ ...normalizeSignIn(row) }));
  });
});

describe('readSignInPages', () => {
  it('normalizes each record of each page and quarantines what cannot be used', async () => {
    const BASE = 'https://graph.test';
    const bodies = [
      { value: [row, { ...row, id: '' }, 'not a record'], '@odata.nextLink': `${BASE}/beta/auditLogs/signIns?$skiptoken=2` },
      { value: [{ ...row, id: 'second' }] },
    ];
    let calls = 0;
    const graph = createGraphApi({
      graphBaseUrl: BASE,
      tokens: { getToken: () => Promise.resolve({ token: 't', expiresOn: undefined, roles: [], appId: undefined }) },
      fetch: () => Promise.resolve(new Response(JSON.stringify(bodies[calls++]), { headers: { 'content-type': 'application/json' } })),
      logger: createLogger({ level: 'silent' }),
      enforceBudgets: false,
    });
    const pages = [];
    for await (const page of readSignInPages(graph, new Date('2026-11-25T00:00:00Z'), new Date('2026-11-26T00:00:00Z'))) pages.push(page);
    expect(pages).toEqual([
      {
        events: [normalizeSignIn(row)],
        quarantined: [
          { id: undefined, reason: 'missing id, createdDateTime or appId' },
          { id: undefined, reason: 'not a JSON object' },
        ],
        raw: 3,
      },
      { events: [{ ...normalizeSignIn(row), id: 'second' }], quarantined: [], raw: 1 },
    ]);
  });
});
