import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeScenarioCertificate } from '../../src/simulator/scenarios/certificates.js';

describe('scenario certificates', () => {
  it('encode a serial whose hash starts with a zero byte as a minimal DER INTEGER that OpenSSL parses', () => {
    // sha1("Zero Lead/2026-01-01T00:07:59.000Z") starts 00 34 77: a serial with a leading zero
    // byte, which a naive encoder writes as a non-DER INTEGER (a flaky scenario in CI once).
    const cert = makeScenarioCertificate({
      commonName: 'Zero Lead',
      notBefore: new Date('2026-01-01T00:07:59.000Z'),
      notAfter: new Date('2027-01-01T00:00:00Z'),
      keyLabel: 'zero-lead',
    });
    const parsed = new X509Certificate(Buffer.from(cert.derBase64, 'base64'));
    expect(parsed.serialNumber.startsWith('3477')).toBe(true);
    expect(parsed.subject).toBe('CN=Zero Lead');
  });

  it('parse for any validity start (the serial depends on it)', () => {
    for (let i = 0; i < 300; i += 1) {
      const notBefore = new Date(Date.UTC(2026, 0, 1) + i * 1000);
      const cert = makeScenarioCertificate({ commonName: 'Many', notBefore, notAfter: new Date(notBefore.getTime() + 86_400_000), keyLabel: 'many' });
      expect(() => new X509Certificate(Buffer.from(cert.derBase64, 'base64'))).not.toThrow();
    }
  });
});
