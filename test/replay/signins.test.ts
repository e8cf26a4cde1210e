/**
 * Microsoft's sign-in examples (List signIns and Get signIn, beta) through credwatch's sign-in
 * normalizer, the collector and the sign-in rules. Pages: https://learn.microsoft.com/graph/api/signin-list?view=graph-rest-beta,
 * https://learn.microsoft.com/graph/api/signin-get?view=graph-rest-beta and the signIn resource
 * https://learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta.
 */
import { describe, expect, it } from 'vitest';
import { normalizeSignIn, readSignInPages } from '../../src/collect/signins.js';
import type { Json } from '../../src/collect/values.js';
import { runRules } from '../../src/detect/run.js';
import type { SignInEvent } from '../../src/events.js';
import { RULES } from '../../src/rules/index.js';
import { allowlistFor, allowlistOk, FULL_ACCESS_AS_APP, inventoryApp, testContext, withApps } from '../rules/kit.js';
import { body, example, examplesIn, onlyRow, rows } from './fixtures.js';
import { answerWith, replayGraph } from './replay-graph.js';

const NOOP_LOGGER = { error: () => undefined };

function normalized(row: Json): SignInEvent {
  const result = normalizeSignIn(row);
  if ('quarantined' in result) throw new Error(`quarantined: ${result.quarantined}`);
  return result;
}

const fido2020 = example('signins/list-2020-example-1-mfa-fido.json');
const password2020 = example('signins/list-2020-example-2-password.json');
const certificate2022 = example('signins/list-2022-example-1-client-credential-certificate.json');
const nonInteractive2022 = example('signins/list-2022-example-3-non-interactive.json');
const get2018 = example('signins/get-2018-example.json');
const representation = example('signins/resource-representation-2024.json');

describe('every sign-in example', () => {
  const all = examplesIn('signins').filter(({ path }) => !path.startsWith('signins/resource-'));

  it.each(all.map(({ path, example: e }) => [path, e] as const))('%s either parses or is quarantined with a reason', (_path, e) => {
    for (const row of rows(e)) {
      const result = normalizeSignIn(row);
      if ('quarantined' in result) {
        expect(result.quarantined).toMatch(/\S/);
      } else {
        expect(result.id).toBe(row.id);
        expect(result.appId).toBe(row.appId);
      }
    }
  });

  it('parses all five published sign-ins (none is quarantined)', () => {
    const results = all.flatMap(({ example: e }) => rows(e)).map(normalizeSignIn);
    expect(results).toHaveLength(5);
    expect(results.filter((r) => 'quarantined' in r)).toEqual([]);
  });
});

describe('the 2022 example with clientCredentialType "certificate"', () => {
  const row = onlyRow(certificate2022);

  it('reads the certificate credential type, the address, the network and the failure exactly', () => {
    const event = normalized(row);
    expect(event).toMatchObject({
      id: '1691d37b-8579-43a7-966a-0f35583c1300',
      appId: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c',
      appDisplayName: 'Azure Portal',
      ipAddress: '131.107.159.37',
      rawIpAddress: undefined,
      countryOrRegion: 'US',
      city: 'Redmond',
      asn: 3598,
      resourceId: '797f4846-ba00-4fd7-ba43-dac1f8f63013',
      resourceDisplayName: 'Windows Azure Service Management API',
      credentialType: 'certificate',
      outcome: 'failure',
      errorCode: 50126,
      failureReason: 'Error validating credentials due to invalid username or password.',
      correlationId: '5d295068-919b-4017-85d8-44be2f5f5483',
    });
    expect(event.createdAt.toISOString()).toBe('2021-06-30T16:34:32.000Z');
  });

  it('treats the empty servicePrincipalId as missing and has no key id or thumbprint to report', () => {
    const event = normalized(row);
    expect(row.servicePrincipalId).toBe('');
    expect(event.servicePrincipalId).toBeUndefined();
    expect(event.credentialKeyId).toBeUndefined();
    expect(event.credentialThumbprint).toBeUndefined();
  });

  it('reads the published duplicate keys as JSON.parse does, keeping the last homeTenantId', () => {
    // The example prints homeTenantId twice; credwatch does not read it, and the row still parses.
    expect(row.homeTenantId).toBe('99081087-73c4-48d1-a112-f60ff75114f7');
    expect(normalized(row).id).toBe('1691d37b-8579-43a7-966a-0f35583c1300');
  });

  it('raises a high finding for the failed certificate sign-in of a mailbox-wide vendor app from outside its named-location ranges', () => {
    // The allowlist is Microsoft's own "IPv4 named location" example (6.5.4.3/32, 127.126.125.0/24).
    const vendor = inventoryApp({ appId: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', displayName: 'Azure Portal', mailboxPermissions: [FULL_ACCESS_AS_APP] });
    const context = testContext({ ...withApps(vendor), ...allowlistFor(allowlistOk(['6.5.4.3/32', '127.126.125.0/24'], 'IPv4 named location')) });
    const { findings, errors } = runRules(RULES, [{ type: 'signIn', event: normalized(row) }], context, NOOP_LOGGER);
    expect(errors).toEqual([]);
    // No key id is logged, so signin-unknown-credential has nothing to compare; only the allowlist rule fires.
    expect(findings.map((f) => f.ruleId)).toEqual(['signin-cert-outside-allowlist']);
    const outside = findings.filter((f) => f.ruleId === 'signin-cert-outside-allowlist');
    expect(outside).toHaveLength(1);
    expect(outside[0]).toMatchObject({
      severity: 'high',
      appId: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c',
      ip: '131.107.159.37',
      asn: 3598,
      country: 'US',
      success: false,
      eventIds: ['1691d37b-8579-43a7-966a-0f35583c1300'],
      network: 'AS3598',
    });
    expect(outside[0]?.summary).toBe(
      'Vendor certificate for "Azure Portal" used from 131.107.159.37 (US, AS3598), outside IPv4 named location\'s allowed ranges; the sign-in failed (AADSTS50126)',
    );
  });

  it('raises nothing for the same sign-in when the address is inside the allowed ranges', () => {
    const vendor = inventoryApp({ appId: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c', mailboxPermissions: [FULL_ACCESS_AS_APP] });
    const context = testContext({ ...withApps(vendor), ...allowlistFor(allowlistOk(['131.107.0.0/16'], 'Contoso')) });
    const { findings } = runRules(RULES, [{ type: 'signIn', event: normalized(row) }], context, NOOP_LOGGER);
    expect(findings.filter((f) => f.ruleId === 'signin-cert-outside-allowlist')).toEqual([]);
  });
});

describe('the 2022 non-interactive example', () => {
  const row = onlyRow(nonInteractive2022);

  it('treats the published "" key id and thumbprint as missing, not as values', () => {
    expect(row.servicePrincipalCredentialKeyId).toBe('');
    expect(row.servicePrincipalCredentialThumbprint).toBe('');
    const event = normalized(row);
    expect(event.credentialKeyId).toBeUndefined();
    expect(event.credentialThumbprint).toBeUndefined();
    expect(event.servicePrincipalId).toBeUndefined();
  });

  it('reads a successful sign-in with its Kenyan address and network exactly', () => {
    expect(normalized(row)).toMatchObject({
      id: 'ef1e1fcc-80bd-489b-82c5-16ad80770e00',
      appId: 'de8bc8b5-d9f9-48b1-a8ad-b748da725064',
      ipAddress: '197.178.9.154',
      countryOrRegion: 'KE',
      city: 'Mombasa',
      asn: 33771,
      resourceId: '00000003-0000-0000-c000-000000000000',
      resourceDisplayName: 'Microsoft Graph',
      credentialType: 'notRecorded',
      outcome: 'success',
      errorCode: 0,
      failureReason: 'Other.',
    });
  });
});

describe('the 2020 examples', () => {
  it('keeps the placeholder ids Microsoft published ("…-blah-…") as the sign-in and correlation ids', () => {
    const event = normalized(onlyRow(fido2020));
    expect(event.id).toBe('66ea54eb-blah-4ee5-be62-ff5a759b0100');
    expect(event.correlationId).toBe('d79f5bee-blah-4832-928f-3133e22ae912');
  });

  it('reads seven fractional digits of createdDateTime down to the millisecond', () => {
    expect(normalized(onlyRow(fido2020)).createdAt.toISOString()).toBe('2020-03-13T19:15:41.619Z');
    expect(normalized(onlyRow(password2020)).createdAt.toISOString()).toBe('2018-11-06T18:48:33.852Z');
  });

  it('reads errorCode 0 with a null failureReason as a success without a reason', () => {
    const event = normalized(onlyRow(fido2020));
    expect(event.outcome).toBe('success');
    expect(event.errorCode).toBe(0);
    expect(event.failureReason).toBeUndefined();
  });

  it('reads a sign-in published with an empty status ({}) as an unknown outcome: neither a success nor a failure', () => {
    const row = onlyRow(password2020);
    expect(row.status).toEqual({});
    const event = normalized(row);
    expect(event.errorCode).toBeUndefined();
    expect(event.outcome).toBe('unknown');
  });

  it('reads a sign-in without autonomousSystemNumber or servicePrincipalId as having neither', () => {
    const event = normalized(onlyRow(password2020));
    expect(event.asn).toBeUndefined();
    expect(event.servicePrincipalId).toBeUndefined();
    expect(event.ipAddress).toBe('207.254.19.10');
    expect(event.credentialType).toBe('notRecorded');
  });
});

describe('the Get signIn example', () => {
  it('parses the single sign-in Microsoft prints as a collection, placeholder id included', () => {
    const event = normalized(onlyRow(get2018));
    expect(event).toMatchObject({
      id: 'id',
      appId: 'd3590ed6-52b3-4102-aeff-aad2292ab01c',
      ipAddress: '127.0.0.1',
      countryOrRegion: 'USA',
      outcome: 'success',
      errorCode: 0,
    });
  });
});

describe('the signIn resource representation', () => {
  it('is quarantined with its reason, because its createdDateTime is a type name, not a time', () => {
    expect(normalizeSignIn(body(representation))).toEqual({ quarantined: 'missing id, createdDateTime or appId', id: 'String (identifier)' });
  });

  it('names every property credwatch reads from a sign-in except clientCredentialType, which only the property table lists', () => {
    const read = [
      'id',
      'createdDateTime',
      'appId',
      'appDisplayName',
      'servicePrincipalId',
      'ipAddress',
      'location',
      'autonomousSystemNumber',
      'resourceId',
      'resourceDisplayName',
      'servicePrincipalCredentialKeyId',
      'servicePrincipalCredentialThumbprint',
      'status',
      'correlationId',
    ];
    const published = Object.keys(body(representation));
    expect(read.filter((p) => !published.includes(p))).toEqual([]);
    expect(published).not.toContain('clientCredentialType');
  });
});

describe('the sign-in collector against the examples', () => {
  it("asks for service-principal sign-ins only, follows Microsoft's nextLink verbatim and keeps every row", async () => {
    const nextLink = body(nonInteractive2022)['@odata.nextLink'];
    expect(typeof nextLink).toBe('string');
    const replay = replayGraph({
      'GET /beta/auditLogs/signIns': answerWith(nonInteractive2022),
      // The nextLink's path is spelt "signins" by Graph.
      'GET /beta/auditLogs/signins': answerWith(certificate2022),
    });
    const pages = [];
    for await (const page of readSignInPages(replay.graph, new Date('2026-11-26T10:00:00Z'), new Date('2026-11-26T11:55:00Z'))) pages.push(page);

    expect(replay.requests.map((r) => r.path)).toEqual(['/beta/auditLogs/signIns', '/beta/auditLogs/signins']);
    expect(decodeURIComponent(new URL(replay.requests[0]?.url ?? '').search)).toContain("signInEventTypes/any(t: t eq 'servicePrincipal')");
    expect(replay.requests[1]?.url).toBe(nextLink);
    expect(pages.map((p) => ({ raw: p.raw, ids: p.events.map((e) => e.id), quarantined: p.quarantined }))).toEqual([
      { raw: 1, ids: ['ef1e1fcc-80bd-489b-82c5-16ad80770e00'], quarantined: [] },
      { raw: 1, ids: ['1691d37b-8579-43a7-966a-0f35583c1300'], quarantined: [] },
    ]);
  });

  it("reports the representation's row as quarantined with its id and reason instead of dropping it", async () => {
    const replay = replayGraph({ 'GET /beta/auditLogs/signIns': { status: 200, body: { value: [body(representation), onlyRow(fido2020)] } } });
    const pages = [];
    for await (const page of readSignInPages(replay.graph, new Date('2026-11-26T10:00:00Z'), new Date('2026-11-26T11:55:00Z'))) pages.push(page);
    expect(pages).toHaveLength(1);
    expect(pages[0]?.raw).toBe(2);
    expect(pages[0]?.events.map((e) => e.id)).toEqual(['66ea54eb-blah-4ee5-be62-ff5a759b0100']);
    expect(pages[0]?.quarantined).toEqual([{ id: 'String (identifier)', reason: 'missing id, createdDateTime or appId' }]);
  });
});
