import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/index.js';
import { lines, managedIdentityTenant, problemsOf } from './fixtures.js';

const GUID = '11111111-2222-3333-4444-555555555555';

describe('config validation', () => {
  it('accepts a minimal config and fills in every default', async () => {
    const config = await parseConfig({ tenants: [managedIdentityTenant()] }, { env: {}, baseDir: '/srv/credwatch' });

    expect(config.tenants[0]).toEqual({
      name: 'contoso',
      tenantId: 'contoso.onmicrosoft.com',
      cloud: 'global',
      endpoints: { authorityHost: 'https://login.microsoftonline.com', graphBaseUrl: 'https://graph.microsoft.com' },
      auth: { mode: 'managedIdentity' },
    });
    expect(config.channels).toEqual([{ type: 'stdout', name: 'stdout', minSeverity: 'informational', digestThreshold: 10 }]);
    expect(config.state).toEqual({ type: 'sqlite', path: '/srv/credwatch/.credwatch/state.db' });
    expect(config.schedules).toEqual({ scan: '*/15 * * * *', report: '0 8 * * 1', refreshAllowlists: '0 */6 * * *', timeZone: 'UTC' });
    expect(config.collection).toEqual({ overlapInMinutes: 120, settleInMinutes: 5, backfillInDays: 7, maxRunMinutes: 20 });
    expect(config.posture).toEqual({ expiringWithinDays: 30, certificateMaxLifetimeInDays: 365, secretMaxLifetimeInDays: 180, unusedAfterDays: 30 });
    expect(config.logging).toEqual({ level: 'info' });
    expect(config.vendors).toEqual([]);
  });

  it('fills endpoints from the national cloud and strips trailing slashes from overrides', async () => {
    const config = await parseConfig(
      {
        tenants: [
          { ...managedIdentityTenant('gov'), cloud: 'usgovdod' },
          { ...managedIdentityTenant('cn'), cloud: 'china' },
          { ...managedIdentityTenant('sim'), endpoints: { authorityHost: 'https://127.0.0.1:8443/', graphBaseUrl: 'https://127.0.0.1:8443//' } },
        ],
      },
      { env: {} },
    );

    expect(config.tenants.map((t) => t.endpoints)).toEqual([
      { authorityHost: 'https://login.microsoftonline.us', graphBaseUrl: 'https://dod-graph.microsoft.us' },
      { authorityHost: 'https://login.chinacloudapi.cn', graphBaseUrl: 'https://microsoftgraph.chinacloudapi.cn' },
      { authorityHost: 'https://127.0.0.1:8443', graphBaseUrl: 'https://127.0.0.1:8443' },
    ]);
  });

  it('reports every problem at once, each with its path', async () => {
    const problems = await problemsOf(
      parseConfig(
        {
          tenants: [managedIdentityTenant(), { name: 'fabrikam', tenantId: 'not a tenant', auth: { mode: 'certificate', clientId: 'nope' } }],
          schedules: { scan: '* * *', timeZone: 'Mars/Olympus_Mons' },
          logging: { level: 'loud' },
        },
        { env: {} },
      ),
    );

    expect(lines(problems)).toEqual([
      'logging.level: must be one of "fatal", "error", "warn", "info", "debug", "trace", "silent", got the string "loud"',
      'schedules.scan: is not a valid cron expression (expected 5 or 6 fields but got 3)',
      'schedules.timeZone: is not an IANA time zone name such as "UTC" or "Europe/Paris"',
      'tenants[1].auth: needs the certificate: set either certificatePath or certificateEnv',
      'tenants[1].auth: needs the private key: set either privateKeyPath or privateKeyEnv',
      'tenants[1].auth.clientId: expected a GUID such as 00000000-0000-0000-0000-000000000000',
      'tenants[1].tenantId: expected the tenant id (a GUID) or a verified domain such as contoso.onmicrosoft.com',
    ]);
  });

  it('puts every problem in one readable multi-line message', async () => {
    const error: unknown = await parseConfig({ tenants: [], logging: { level: 'loud' } }, { env: {} }).catch((e: unknown) => e);

    expect(error).toMatchObject({ code: 'CONFIG_INVALID' });
    expect((error as Error).message.split('\n')).toEqual([
      'The configuration has 2 problems:',
      '  - logging.level: must be one of "fatal", "error", "warn", "info", "debug", "trace", "silent", got the string "loud"',
      '  - tenants: must list at least 1 entry',
    ]);
  });

  it('rejects an unknown key and suggests the key that was probably meant', async () => {
    const problems = await problemsOf(
      parseConfig({ tenants: [{ ...managedIdentityTenant(), tennantId: 'x' }], posture: { expiringWithinDay: 3, colour: 'red' } }, { env: {} }),
    );

    expect(lines(problems)).toEqual([
      'posture.colour: unknown key "colour"; expected one of: expiringWithinDays, certificateMaxLifetimeInDays, secretMaxLifetimeInDays, unusedAfterDays',
      'posture.expiringWithinDay: unknown key "expiringWithinDay"; did you mean "expiringWithinDays"?',
      'tenants[0].tennantId: unknown key "tennantId"; did you mean "tenantId"?',
    ]);
  });

  it('says which auth modes exist when the mode is missing or wrong', async () => {
    const problems = await problemsOf(
      parseConfig(
        {
          tenants: [
            { ...managedIdentityTenant(), auth: { clientId: GUID } },
            { ...managedIdentityTenant('b'), auth: { mode: 'password' } },
          ],
        },
        { env: {} },
      ),
    );

    expect(lines(problems)).toEqual([
      'tenants[0].auth.mode: must be one of "certificate", "secret", "managedIdentity" ("mode" is missing)',
      'tenants[1].auth.mode: must be one of "certificate", "secret", "managedIdentity" (got the string "password")',
    ]);
  });

  it('rejects duplicate tenant names, naming the first use', async () => {
    const problems = await problemsOf(
      parseConfig({ tenants: [managedIdentityTenant('a'), managedIdentityTenant('b'), managedIdentityTenant('a')] }, { env: {} }),
    );

    expect(lines(problems)).toEqual(['tenants[2].name: tenant name "a" is already used by tenants[0]; names must be unique']);
  });

  it('rejects two unnamed channels of the same type and a channel naming an unknown tenant', async () => {
    const problems = await problemsOf(
      parseConfig(
        {
          tenants: [managedIdentityTenant()],
          channels: [{ type: 'stdout' }, { type: 'stdout', tenants: ['contosso'] }],
        },
        { env: {} },
      ),
    );

    expect(lines(problems)).toEqual([
      'channels[1]: channel name "stdout" is already used by channels[0]; names must be unique',
      'channels[1].tenants[0]: no tenant is named "contosso" (tenants: contoso)',
    ]);
  });

  it('names the vendor and the entry when a CIDR is invalid, and accepts host bits and IPv6', async () => {
    const vendor = (cidrs: string[]) => ({ name: 'Mimecast', appIds: [GUID], allowedRanges: [{ type: 'cidrs', cidrs }] });
    const problems = await problemsOf(
      parseConfig(
        { tenants: [managedIdentityTenant()], vendors: [vendor(['205.139.110.0/24', '12.34.221.11/22', '2001:db8::/32', '205.139.110.0/33', 'mimecast.com'])] },
        { env: {} },
      ),
    );

    expect(lines(problems)).toEqual([
      'vendors[0].allowedRanges[0].cidrs[3]: vendor "Mimecast": "205.139.110.0/33" is not a valid CIDR: an IPv4 prefix length is at most 32, got /33',
      'vendors[0].allowedRanges[0].cidrs[4]: vendor "Mimecast": "mimecast.com" is not a valid CIDR: expected address/prefix-length, such as 205.139.110.0/24 or 2001:db8::/32 (add /32 or /128 for one address)',
    ]);
  });

  it('requires a vendor to be identified by app ids or owner tenant ids', async () => {
    const problems = await problemsOf(parseConfig({ tenants: [managedIdentityTenant()], vendors: [{ name: 'Acme', appIds: [] }] }, { env: {} }));

    expect(lines(problems)).toEqual(['vendors[0]: vendor "Acme" needs appIds or ownerTenantIds (or both) to know which sign-ins are its own']);
  });

  it('rejects plain-http and non-URL endpoints and allowlist URLs', async () => {
    const problems = await problemsOf(
      parseConfig(
        {
          tenants: [{ ...managedIdentityTenant(), endpoints: { authorityHost: 'http://127.0.0.1:8443', graphBaseUrl: 'graph.microsoft.com' } }],
          vendors: [{ name: 'Acme', appIds: [GUID], allowedRanges: [{ type: 'url', url: 'http://acme.example/ranges.txt' }] }],
        },
        { env: {} },
      ),
    );

    expect(lines(problems)).toEqual([
      'tenants[0].endpoints.authorityHost: must be an https URL, got "http://127.0.0.1:8443"',
      'tenants[0].endpoints.graphBaseUrl: expected an absolute URL, got "graph.microsoft.com"',
      'vendors[0].allowedRanges[0].url: must be an https URL, got "http://acme.example/ranges.txt"',
    ]);
  });

  it('explains numbers out of range with their bounds', async () => {
    const problems = await problemsOf(
      parseConfig(
        { tenants: [managedIdentityTenant()], collection: { backfillInDays: 90, overlapInMinutes: -1, settleInMinutes: '5' }, posture: { unusedAfterDays: 0 } },
        { env: {} },
      ),
    );

    expect(lines(problems)).toEqual([
      'collection.backfillInDays: must be at most 30',
      'collection.overlapInMinutes: must be at least 0',
      'collection.settleInMinutes: expected number, got the string "5"',
      'posture.unusedAfterDays: must be greater than 0',
    ]);
  });

  it('catches a secret pasted where an environment variable name belongs', async () => {
    const problems = await problemsOf(
      parseConfig({ tenants: [{ ...managedIdentityTenant(), auth: { mode: 'secret', clientId: GUID, clientSecretEnv: 'Xy7~abc.def-123' } }] }, { env: {} }),
    );

    expect(lines(problems)).toEqual([
      'tenants[0].auth.clientSecretEnv: expected the NAME of an environment variable (letters, digits and underscores), not its value',
    ]);
  });
});
