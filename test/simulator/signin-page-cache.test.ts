import type { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheSignInPages } from '../../src/simulator/graph/reports.js';
import { startSimulator, syntheticScenario, type RunningSimulator, type SignIn } from '../../src/simulator/index.js';
import { json, rawGet, secretToken, trustingAgent } from './helpers.js';

const NOW = new Date('2026-03-02T12:00:00Z');
const WINDOW = `/beta/auditLogs/signIns?$filter=signInEventTypes/any(t: t eq 'servicePrincipal') and createdDateTime ge ${new Date(NOW.getTime() - 20 * 86_400_000).toISOString()}`;

let sim: RunningSimulator;
let agent: Agent;
let token: string;

beforeAll(async () => {
  sim = await startSimulator({ scenario: syntheticScenario({ servicePrincipals: 200, signIns: 3_500, now: NOW }), now: () => NOW, enforceThrottling: false });
  agent = trustingAgent(sim.caCertPem);
  token = await secretToken(sim, agent);
});
afterAll(async () => {
  cacheSignInPages(0);
  await sim.close();
  await agent.close();
});

interface Page {
  '@odata.context': string;
  '@odata.nextLink'?: string;
  value: SignIn[];
}

/** Every page of the window, following nextLinks, as raw bodies and parsed. */
async function readWindow(): Promise<Array<{ text: string; page: Page }>> {
  const pages: Array<{ text: string; page: Page }> = [];
  let url: string | undefined = `${sim.graphBaseUrl}${WINDOW}`;
  while (url) {
    const { status, text } = await rawGet(agent, url, token);
    expect(status).toBe(200);
    const page = json<Page>(text);
    pages.push({ text, page });
    url = page['@odata.nextLink'];
  }
  return pages;
}

const ids = (pages: Array<{ page: Page }>) => pages.flatMap((p) => p.page.value.map((s) => s.id));

describe('kept sign-in pages', () => {
  it('serve the same records, in the same pages, as building them again', async () => {
    cacheSignInPages(0);
    const built = await readWindow();
    expect(built.length).toBeGreaterThan(2);

    cacheSignInPages(100_000_000);
    const first = await readWindow();
    const kept = await readWindow();
    for (const read of [first, kept]) {
      expect(read.map((p) => p.page.value)).toEqual(built.map((p) => p.page.value));
      // Property order too: `value` stays last, after the context and the nextLink.
      for (const { text } of read) expect(text.indexOf('"@odata.context"')).toBe(1);
      expect(read.map((p) => Object.keys(p.page))).toEqual(built.map((p) => Object.keys(p.page)));
    }
    expect(new Set(ids(kept)).size).toBe(ids(kept).length);
  });

  it('still page correctly when the limit keeps only one page at a time', async () => {
    cacheSignInPages(1);
    const read = await readWindow();
    cacheSignInPages(0);
    expect(ids(read)).toEqual(ids(await readWindow()));
  });
});
