import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from 'undici';
import {
  mimecastScenario,
  quietScenario,
  startSimulator,
  syntheticScenario,
  type LazySignIns,
  type RunningSimulator,
  type SignIn,
} from '../../src/simulator/index.js';
import { json, rawGet, secretToken, trustingAgent } from './helpers.js';

/** Written from https://learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta (see its `readFrom`). */
const DOCUMENTED = JSON.parse(readFileSync(new URL('./fixtures/signin-beta-properties.json', import.meta.url), 'utf8')) as {
  properties: string[];
  nested: Record<string, string[]>;
};
const NOW = new Date('2026-03-02T12:00:00Z');

const sorted = (keys: string[]) => [...keys].sort();
const at = (record: object, path: string): Record<string, unknown> =>
  path.split('/').reduce<Record<string, unknown>>((value, part) => value[part] as Record<string, unknown>, record as Record<string, unknown>);

/** Mean JSON size of the records, as Graph would send them in a page's `value`. */
function bytesPerRecord(records: readonly SignIn[]): number {
  const total = records.reduce((sum, r) => sum + Buffer.byteLength(JSON.stringify(r)), 0);
  return Math.round(total / records.length);
}

const SHAPES: [string, () => SignIn[]][] = [
  ['mimecast', () => mimecastScenario(NOW).signIns as SignIn[]],
  ['quiet', () => quietScenario(NOW).signIns as SignIn[]],
  [
    'synthetic (lazy)',
    () => {
      const lazy = syntheticScenario({ servicePrincipals: 500, signIns: 10_000, now: NOW }).signIns as LazySignIns;
      return Array.from({ length: 2_000 }, (_, i) => lazy.at(i * 5));
    },
  ],
];

describe('sign-in records', () => {
  for (const [name, records] of SHAPES) {
    it(`in the ${name} scenario carry every documented beta property and nothing else`, () => {
      const all = records();
      expect(all.length).toBeGreaterThan(0);
      const expected = Object.entries({ '': DOCUMENTED.properties, ...DOCUMENTED.nested }).map(([path, keys]) => `${path}: ${sorted(keys).join(',')}`);
      const shapes = new Set(
        all.map((record) =>
          expected
            .map((line) => {
              const path = line.slice(0, line.indexOf(':'));
              return `${path}: ${sorted(Object.keys(path === '' ? record : at(record, path))).join(',')}`;
            })
            .join('\n'),
        ),
      );
      expect([...shapes]).toEqual([expected.join('\n')]);
      const bytes = bytesPerRecord(all);
      console.log(`bytes per serialized sign-in record (${name}): ${bytes}`);
      expect(bytes).toBeGreaterThan(2_000);
    });
  }

  it('show a workload sign-in the way Graph does: user fields blank, no device, empty collections', () => {
    const record = (mimecastScenario(NOW).signIns as SignIn[])[0]!;
    expect(record).toMatchObject({
      userPrincipalName: '',
      userId: '',
      isInteractive: false,
      signInEventTypes: ['servicePrincipal'],
      deviceDetail: { deviceId: '', isCompliant: false },
      location: { geoCoordinates: { latitude: null } },
      managedServiceIdentity: { msiType: 'none' },
      appliedConditionalAccessPolicies: [],
      authenticationDetails: [],
      mfaDetail: null,
    });
    expect(record.resourceServicePrincipalId).not.toBe('');
  });
});

describe('sign-ins served by version', () => {
  let sim: RunningSimulator;
  let agent: Agent;
  let token: string;
  beforeAll(async () => {
    sim = await startSimulator({ scenario: mimecastScenario(NOW), now: () => NOW, enforceThrottling: false });
    agent = trustingAgent(sim.caCertPem);
    token = await secretToken(sim, agent);
  });
  afterAll(async () => {
    await sim.close();
    await agent.close();
  });

  it('come whole from beta', async () => {
    const beta = json<{ value: object[] }>(
      (await rawGet(agent, `${sim.graphBaseUrl}/beta/auditLogs/signIns?$filter=signInEventTypes/any(t: t eq 'servicePrincipal')&$top=1`, token)).text,
    );
    expect(sorted(Object.keys(beta.value[0] ?? {}))).toEqual(sorted(DOCUMENTED.properties));
  });

  it('are out of reach on v1.0, whose signIn has no signInEventTypes to filter on', async () => {
    expect(json<{ value: object[] }>((await rawGet(agent, `${sim.graphBaseUrl}/v1.0/auditLogs/signIns`, token)).text).value).toEqual([]);
    const filtered = await rawGet(agent, `${sim.graphBaseUrl}/v1.0/auditLogs/signIns?$filter=signInEventTypes/any(t: t eq 'servicePrincipal')`, token);
    expect(filtered.status).toBe(400);
    expect(json<{ error: { code: string; message: string } }>(filtered.text).error).toMatchObject({ code: 'BadRequest', message: 'Invalid filter clause' });
  });
});
