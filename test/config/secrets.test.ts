import { X509Certificate } from 'node:crypto';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig, type CertificateAuthConfig, type Config } from '../../src/config/index.js';
import { lines, makeCertificate, makeTempDir, managedIdentityTenant, problemsOf, type TempDir, type TestCertificate } from './fixtures.js';

const GUID = '11111111-2222-3333-4444-555555555555';

let app: TestCertificate;
let other: TestCertificate;
let dir: TempDir;

beforeAll(async () => {
  [app, other] = await Promise.all([makeCertificate('credwatch-app'), makeCertificate('someone-else')]);
  dir = await makeTempDir();
  await dir.write('certs/app.crt', app.certificatePem);
  await dir.write('certs/app.key', app.privateKeyPem);
  await dir.write('certs/other.key', other.privateKeyPem);
  await dir.write('certs/combined.pem', app.certificatePem + app.privateKeyPem);
  await dir.write('certs/ca.crt', other.certificatePem);
  await dir.write('secret.txt', 's3cr3t-from-file\n');
});
afterAll(() => dir.cleanup());

const certificateTenant = (auth: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  name: 'contoso',
  tenantId: 'contoso.onmicrosoft.com',
  ...extra,
  auth: { mode: 'certificate', clientId: GUID, certificatePath: 'certs/app.crt', privateKeyPath: 'certs/app.key', ...auth },
});

const load = (raw: Record<string, unknown>, env: NodeJS.ProcessEnv = {}): Promise<Config> => parseConfig(raw, { env, baseDir: dir.path });
const certificateAuth = (config: Config): CertificateAuthConfig => config.tenants[0]?.auth as CertificateAuthConfig;
const expectedThumbprint = (): string => new X509Certificate(app.certificatePem).fingerprint256.replace(/:/g, '');

describe('credential material', () => {
  it('reads the certificate and key and computes the SHA-256 thumbprint when none is given', async () => {
    const auth = certificateAuth(await load({ tenants: [certificateTenant()] }));

    expect(auth.thumbprintSha256).toBe(expectedThumbprint());
    expect(auth.thumbprintSha256).toMatch(/^[0-9A-F]{64}$/);
    expect(auth.certificatePem.trim()).toBe(app.certificatePem.trim());
    expect(auth.privateKeyPem.reveal()).toContain('-----BEGIN PRIVATE KEY-----');
  });

  it('accepts a given thumbprint written in lower case with colons when it matches', async () => {
    const written = new X509Certificate(app.certificatePem).fingerprint256.toLowerCase();
    const auth = certificateAuth(await load({ tenants: [certificateTenant({ thumbprintSha256: written })] }));

    expect(auth.thumbprintSha256).toBe(expectedThumbprint());
  });

  it('detects a thumbprint that does not match the certificate', async () => {
    const problems = await problemsOf(load({ tenants: [certificateTenant({ thumbprintSha256: 'AB'.repeat(32) })] }));

    expect(lines(problems)).toEqual([
      `tenants[0].auth.thumbprintSha256: does not match the certificate in certificatePath, whose SHA-256 thumbprint is ${expectedThumbprint()}`,
    ]);
  });

  it('detects a private key that does not belong to the certificate', async () => {
    const problems = await problemsOf(load({ tenants: [certificateTenant({ privateKeyPath: 'certs/other.key' })] }));

    expect(lines(problems)).toEqual(['tenants[0].auth.privateKeyPath: does not belong to the certificate in certificatePath (their public keys differ)']);
  });

  it('reads the private key from an environment variable, also when its newlines were written as \\n', async () => {
    const oneLine = app.privateKeyPem.replace(/\n/g, '\\n');
    const config = await load({ tenants: [certificateTenant({ privateKeyPath: undefined, privateKeyEnv: 'APP_KEY' })] }, { APP_KEY: oneLine });

    expect(certificateAuth(config).thumbprintSha256).toBe(expectedThumbprint());
  });

  it('reads key and certificate from one variable, as a Key Vault reference to a PEM certificate fills it', async () => {
    // Key Vault's PEM secret holds the key first, then the certificate.
    const env = { APP_CERT: app.privateKeyPem + app.certificatePem };
    const auth = certificateAuth(
      await load(
        { tenants: [certificateTenant({ certificatePath: undefined, certificateEnv: 'APP_CERT', privateKeyPath: undefined, privateKeyEnv: 'APP_CERT' })] },
        env,
      ),
    );

    expect(auth.thumbprintSha256).toBe(expectedThumbprint());
    expect(auth.certificatePem).not.toContain('PRIVATE KEY');
  });

  it('names certificateEnv when the key in the variable belongs to another certificate', async () => {
    const env = { APP_CERT: app.certificatePem, APP_KEY: other.privateKeyPem };
    const problems = await problemsOf(
      load(
        { tenants: [certificateTenant({ certificatePath: undefined, certificateEnv: 'APP_CERT', privateKeyPath: undefined, privateKeyEnv: 'APP_KEY' })] },
        env,
      ),
    );

    expect(lines(problems)).toEqual(['tenants[0].auth.privateKeyEnv: does not belong to the certificate in certificateEnv (their public keys differ)']);
  });

  it('keeps only the certificate when its file also holds the private key', async () => {
    const auth = certificateAuth(await load({ tenants: [certificateTenant({ certificatePath: 'certs/combined.pem', privateKeyPath: 'certs/combined.pem' })] }));

    expect(auth.certificatePem.trim()).toBe(app.certificatePem.trim());
    expect(auth.certificatePem).not.toContain('PRIVATE KEY');
  });

  it('reports files that are missing or are not what they should be, with absolute paths', async () => {
    const problems = await problemsOf(load({ tenants: [certificateTenant({ certificatePath: 'certs/app.key', privateKeyPath: 'certs/missing.key' })] }));

    expect(lines(problems)).toEqual([
      'tenants[0].auth.certificatePath: is not a PEM X.509 certificate (expected a "-----BEGIN CERTIFICATE-----" block)',
      `tenants[0].auth.privateKeyPath: cannot read ${dir.path}/certs/missing.key (no such file); relative paths start at the config file's directory`,
    ]);
  });

  it('names the environment variable that is not set', async () => {
    const problems = await problemsOf(
      load(
        {
          tenants: [
            certificateTenant({ privateKeyPath: undefined, privateKeyEnv: 'APP_KEY' }),
            { ...managedIdentityTenant('fabrikam'), auth: { mode: 'secret', clientId: GUID, clientSecretEnv: 'FABRIKAM_SECRET' } },
          ],
        },
        { FABRIKAM_SECRET: '' },
      ),
    );

    expect(lines(problems)).toEqual([
      'tenants[0].auth.privateKeyEnv: environment variable APP_KEY is not set',
      'tenants[1].auth.clientSecretEnv: environment variable FABRIKAM_SECRET is empty',
    ]);
  });

  it('reads a client secret from a file without its trailing newline, or from the environment', async () => {
    const config = await load(
      {
        tenants: [
          { ...managedIdentityTenant('a'), auth: { mode: 'secret', clientId: GUID, clientSecretPath: 'secret.txt' } },
          { ...managedIdentityTenant('b'), auth: { mode: 'secret', clientId: GUID, clientSecretEnv: 'B_SECRET' } },
        ],
      },
      { B_SECRET: 'from-env\n' },
    );

    expect(config.tenants.map((t) => (t.auth.mode === 'secret' ? t.auth.clientSecret.reveal() : undefined))).toEqual(['s3cr3t-from-file', 'from-env']);
  });

  it('reads the extra CA certificate for overridden endpoints', async () => {
    const config = await load({
      tenants: [certificateTenant({}, { endpoints: { authorityHost: 'https://127.0.0.1:8443', caCertificatePath: 'certs/ca.crt' } })],
    });

    expect(config.tenants[0]?.endpoints).toMatchObject({ authorityHost: 'https://127.0.0.1:8443', graphBaseUrl: 'https://graph.microsoft.com' });
    expect(config.tenants[0]?.endpoints.caCertificatePem?.trim()).toBe(other.certificatePem.trim());
  });

  it('reports schema problems and resolution problems of other sections together', async () => {
    const problems = await problemsOf(
      load({ tenants: [certificateTenant({ privateKeyPath: 'certs/other.key' }), { name: 'Bad Name', tenantId: 'x.com', auth: { mode: 'managedIdentity' } }] }),
    );

    expect(lines(problems)).toEqual([
      'tenants[0].auth.privateKeyPath: does not belong to the certificate in certificatePath (their public keys differ)',
      'tenants[1].name: expected a short label of lower-case letters, digits and hyphens, such as "contoso"',
    ]);
  });
});

describe('secrets never in the file', () => {
  it('rejects inline secrets and says where each one must go', async () => {
    const problems = await problemsOf(
      load(
        {
          tenants: [
            { ...managedIdentityTenant('a'), auth: { mode: 'secret', clientId: GUID, clientSecret: 'abc~123' } },
            { ...managedIdentityTenant('b'), auth: { mode: 'certificate', clientId: GUID, certificatePath: 'certs/app.crt', privateKey: 'x' } },
          ],
          channels: [
            { type: 'teams', url: 'https://prod.westus.logic.azure.com/workflows/x?sig=abc' },
            { type: 'webhook', urlEnv: 'HOOK_URL', secret: 'hmac-key' },
          ],
          state: { type: 'azureTable', connectionString: 'DefaultEndpointsProtocol=https;AccountKey=abc' },
        },
        { HOOK_URL: 'https://siem.example/hook', AzureWebJobsStorage: 'UseDevelopmentStorage=true' },
      ),
    );

    expect(lines(problems)).toEqual([
      'channels[0].url: secrets are never read from the file, and a Teams or webhook URL carries its own access token; put the URL in an environment variable and name it in urlEnv',
      'channels[0].urlEnv: is required (expected string)',
      'channels[1].secret: secrets are never read from the file; put it in an environment variable and name it in secretEnv',
      'channels[1].secretEnv: is required (expected string)',
      'state.connectionString: secrets are never read from the file; put the connection string in an environment variable and name it in connectionEnv (default AzureWebJobsStorage), or set accountUrl to use a managed identity',
      'tenants[0].auth: needs the client secret: set either clientSecretEnv or clientSecretPath',
      'tenants[0].auth.clientSecret: secrets are never read from the file; put it in an environment variable and name it in clientSecretEnv, or in a file named by clientSecretPath',
      'tenants[1].auth: needs the private key: set either privateKeyPath or privateKeyEnv',
      'tenants[1].auth.privateKey: secrets are never read from the file; put the key in a PEM file named by privateKeyPath, or in an environment variable named by privateKeyEnv',
    ]);
  });

  it('rejects a PEM private key pasted into any string', async () => {
    const problems = await problemsOf(
      load({
        tenants: [managedIdentityTenant()],
        vendors: [{ name: 'Acme', appIds: [GUID], allowedRanges: [{ type: 'namedLocation', displayName: other.privateKeyPem }] }],
      }),
    );

    expect(lines(problems)).toEqual([
      'vendors[0].allowedRanges[0].displayName: looks like a PEM private key; secrets are never read from the file; put the key in a PEM file named by privateKeyPath, or in an environment variable named by privateKeyEnv',
    ]);
  });

  it('never prints secrets through JSON.stringify, util.inspect or string interpolation', async () => {
    const config = await load(
      {
        tenants: [certificateTenant(), { ...managedIdentityTenant('b'), auth: { mode: 'secret', clientId: GUID, clientSecretEnv: 'B_SECRET' } }],
        channels: [{ type: 'webhook', urlEnv: 'HOOK_URL', secretEnv: 'HOOK_KEY' }],
      },
      { B_SECRET: 'client-secret-value', HOOK_URL: 'https://siem.example/hook?token=url-token-value', HOOK_KEY: 'hmac-key-value' },
    );
    const keyBody = app.privateKeyPem.split('\n')[1] ?? 'missing';
    const outputs = [
      JSON.stringify(config),
      inspect(config, { depth: Infinity, showHidden: true }),
      `${String(config.tenants[1]?.auth.mode === 'secret' && config.tenants[1].auth.clientSecret)}`,
    ];

    for (const output of outputs) {
      for (const secret of ['client-secret-value', 'url-token-value', 'hmac-key-value', keyBody, 'PRIVATE KEY']) expect(output).not.toContain(secret);
    }
    expect(JSON.stringify(config.channels[0])).toContain('"url":"[redacted]"');
  });

  it('allows a plain-http channel URL only on loopback and only with allowInsecureTestEndpoint', async () => {
    const channels = [
      { type: 'teams', name: 'loopback-without-flag', urlEnv: 'LOOPBACK' },
      { type: 'teams', name: 'loopback-with-flag', urlEnv: 'LOOPBACK', allowInsecureTestEndpoint: true },
      { type: 'webhook', name: 'remote-with-flag', urlEnv: 'REMOTE', secretEnv: 'KEY', allowInsecureTestEndpoint: true },
    ];
    const env = { LOOPBACK: 'http://127.0.0.1:9911/teams', REMOTE: 'http://siem.example/hook', KEY: 'k' };
    const problems = await problemsOf(load({ tenants: [managedIdentityTenant()], channels }, env));

    expect(lines(problems)).toEqual([
      'channels[0].urlEnv: the URL in environment variable LOOPBACK is a plain-http loopback URL; set allowInsecureTestEndpoint: true on this channel if it is a local test receiver',
      'channels[2].urlEnv: the URL in environment variable REMOTE must be an https URL (plain http is allowed only for loopback test receivers), got a http: URL',
    ]);
    const config = await load({ tenants: [managedIdentityTenant()], channels: [channels[1]] }, env);
    expect(config.channels[0]?.type === 'teams' && config.channels[0].url.reveal()).toBe('http://127.0.0.1:9911/teams');
  });
});

describe('the resolved config', () => {
  it('is deeply frozen', async () => {
    const config = await load({
      tenants: [certificateTenant()],
      vendors: [{ name: 'Acme', appIds: [GUID], allowedRanges: [{ type: 'cidrs', cidrs: ['10.0.0.0/8'] }] }],
    });
    const range = config.vendors[0]?.allowedRanges[0];

    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.tenants[0]?.auth)).toBe(true);
    expect(range?.type === 'cidrs' && Object.isFrozen(range.cidrs)).toBe(true);
    expect(() => {
      (config.tenants as unknown as unknown[]).push({});
    }).toThrow(TypeError);
    expect(() => {
      (config.schedules as { scan: string }).scan = '* * * * *';
    }).toThrow(TypeError);
  });

  it('resolves file paths against the config directory', async () => {
    await dir.write('vendors/acme.txt', '203.0.113.0/24\n');
    const config = await load({
      tenants: [managedIdentityTenant()],
      vendors: [{ name: 'Acme', appIds: [GUID], allowedRanges: [{ type: 'file', path: 'vendors/acme.txt' }] }],
      channels: [{ type: 'jsonl', path: 'out/alerts.jsonl' }],
      state: { type: 'sqlite', path: '/var/lib/credwatch/state.db' },
    });

    expect(config.vendors[0]?.allowedRanges).toEqual([{ type: 'file', path: `${dir.path}/vendors/acme.txt` }]);
    expect(config.channels[0]).toMatchObject({ type: 'jsonl', path: `${dir.path}/out/alerts.jsonl` });
    expect(config.state).toEqual({ type: 'sqlite', path: '/var/lib/credwatch/state.db' });
  });
});

describe('azureTable state reads the Function app storage setting in either form', () => {
  const withState = (state: Record<string, unknown>) => ({ tenants: [managedIdentityTenant('a')], state });

  it('takes the connection string from AzureWebJobsStorage', async () => {
    const config = await load(withState({ type: 'azureTable' }), { AzureWebJobsStorage: 'UseDevelopmentStorage=true' });

    expect(config.state).toMatchObject({ type: 'azureTable', tablePrefix: 'credwatch', connectionEnv: 'AzureWebJobsStorage' });
    expect(config.state.type === 'azureTable' && config.state.connectionString?.reveal()).toBe('UseDevelopmentStorage=true');
  });

  it('takes the identity-based settings the Functions host uses, with the user-assigned client id', async () => {
    const config = await load(withState({ type: 'azureTable' }), {
      AzureWebJobsStorage__accountName: 'credwatchstore',
      AzureWebJobsStorage__credential: 'managedidentity',
      AzureWebJobsStorage__clientId: GUID,
    });

    expect(config.state).toEqual({ type: 'azureTable', tablePrefix: 'credwatch', accountUrl: 'https://credwatchstore.table.core.windows.net', clientId: GUID });
  });

  it('says which settings are missing when neither form is there', async () => {
    const problems = await problemsOf(load(withState({ type: 'azureTable' }), {}));

    expect(lines(problems)).toEqual([
      'state: No storage account configured: set AzureWebJobsStorage to a connection string, or AzureWebJobsStorage__accountName (or AzureWebJobsStorage__blobServiceUri, __queueServiceUri and __tableServiceUri) with AzureWebJobsStorage__credential=managedidentity.',
    ]);
  });
});
