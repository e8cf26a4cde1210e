import { describe, expect, it } from 'vitest';
import { REDACTED, redact, urlSecrets } from './redact.js';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoIn0.c2lnbmF0dXJlLXBhcnQ';

describe('redact', () => {
  it('removes URL query tokens of Workflows, SAS, Functions and OAuth URLs and keeps the rest of the URL', () => {
    const text =
      'POST https://x.logic.azure.com/workflows/1/invoke?api-version=1&sp=%2Frun&sv=1.0&sig=SIGVALUE123 and ?code=FUNCKEY&x=1 and access_token=AT1&client_secret=CS1';
    const out = redact(text);
    for (const secret of ['SIGVALUE123', 'FUNCKEY', 'AT1', 'CS1']) expect(out).not.toContain(secret);
    expect(out).toContain('https://x.logic.azure.com/workflows/1/invoke?api-version=1&sp=%2Frun&sv=1.0&sig=[redacted]');
  });

  it('removes bearer and basic credentials, JWTs and private keys, and echoed JSON or header fields', () => {
    const echo = `{"headers":{"authorization":"Bearer opaque-token-value","x-functions-key":"FKEY"},"body":"client_secret=CS2","token":"${JWT}"}`;
    const out = redact(`${echo} Authorization: Basic dXNlcjpwYXNz -----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----`);
    for (const secret of ['opaque-token-value', 'FKEY', 'CS2', JWT.split('.')[2]!, 'dXNlcjpwYXNz', 'MIIB']) expect(out).not.toContain(secret);
    expect(out).toContain('"authorization":"Bearer [redacted]"');
  });

  it('finds the same fields inside a JSON-escaped string, as in a log line quoting a body', () => {
    const line = JSON.stringify({ msg: `answered 500: ${JSON.stringify({ access_token: 'AT-in-line', url: '/hook?sig=SIG-in-line' })}` });
    const out = redact(line);
    expect(out).not.toContain('AT-in-line');
    expect(out).not.toContain('SIG-in-line');
    expect(() => JSON.parse(out) as unknown).not.toThrow();
  });

  it('removes configured secrets by value, the longest first, and leaves Graph paging links and error codes alone', () => {
    const url = 'https://siem.example/ingest/tenant-42?t=abcdef123456';
    const out = redact(`failed ${url} (t=abcdef123456) with key HMACKEY-991 "code":"CHANNEL_REJECTED" $skiptoken=abc`, [...urlSecrets(url), 'HMACKEY-991']);
    expect(out).toBe('failed [redacted] ([redacted]) with key [redacted] "code":"CHANNEL_REJECTED" $skiptoken=abc');
  });
});

describe('secrets the configuration holds', () => {
  it('masks a client secret by value wherever it appears, with no shape to find it by, once the config holds it', async () => {
    const { Secret } = await import('./config/secret.js');
    const value = 'Qx8~plainSecretValue.With-No-Shape';
    expect(redact(`echo: ${value}`)).toContain(value);
    new Secret(value);
    expect(redact(`receiver echoed: {"form": "${value}"} and ${value}`)).toBe(`receiver echoed: {"form": "${REDACTED}"} and ${REDACTED}`);
  });
});
