import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createChannels } from '../../src/alerts/channels/index.js';
import { reportAllTenants, scanAllTenants } from '../../src/serve/jobs.js';
import { mimecastScenario, startSimulator, type RunningSimulator } from '../../src/simulator/index.js';
import { MemoryStateStore } from '../../src/state/index.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { captureLogger, connect, simulatorConfig } from '../helpers/tenant.js';

// A Wednesday in 2026-W47; the Monday job a week later reports that week.
const scanTime = new Date('2026-11-18T12:00:00Z');
const mondayJob = new Date('2026-11-23T08:00:00Z');
let sim: RunningSimulator | undefined;
let teams: Receiver | undefined;
afterEach(async () => {
  await sim?.close();
  await teams?.close();
});

async function setUp(teamsStatus: number) {
  sim = await startSimulator({ scenario: mimecastScenario(scanTime), now: () => scanTime });
  teams = await startReceiver();
  teams.fallback = { status: teamsStatus, body: teamsStatus === 202 ? '' : 'card rejected' };
  const config = await simulatorConfig(sim, 'certificate', {
    extra: {
      channels: [
        { type: 'email', name: 'soc-mail', fromMailbox: 'alerts@contoso.com', to: ['soc@contoso.com'], minSeverity: 'critical' },
        { type: 'teams', name: 'soc-teams', urlEnv: 'TEAMS_URL', allowInsecureTestEndpoint: true, minSeverity: 'critical' },
      ],
    },
    env: { TEAMS_URL: teams.url },
  });
  const { logger } = captureLogger('silent');
  const store = new MemoryStateStore({ now: () => scanTime });
  const graphFor = () => connect(config, logger).graph;
  let now = scanTime;
  const { channels } = createChannels(config.channels, { logger, now: () => now, graphFor });
  const deps = {
    config,
    store,
    connect: (t: (typeof config.tenants)[number]) => connect({ ...config, tenants: [t] }, logger),
    channels,
    logger,
    now: () => now,
    graphFor,
    reportDir: await mkdtemp(join(tmpdir(), 'credwatch-weekly-')),
  };
  await scanAllTenants(deps);
  now = mondayJob;
  return { deps, sim, teams };
}

describe('the weekly report job', () => {
  it('writes the report, emails it with the CSVs attached and posts the Teams summary', async () => {
    const { deps, sim, teams } = await setUp(202);
    const before = sim.sentMail.length;
    const result = await reportAllTenants(deps);
    expect(result).toMatchObject({ job: 'report', ok: true });
    expect(result.detail).toContain('contoso 2026-W47');
    const mail = sim.sentMail.slice(before).find((m) => JSON.stringify(m.body).includes('2026-W47'));
    expect(mail?.mailbox).toBe('alerts@contoso.com');
    const message = (mail!.body as { message: { subject: string; body: { contentType: string }; attachments: Array<{ name: string }> } }).message;
    expect(message.body.contentType).toBe('HTML');
    expect(message.attachments.map((a) => a.name)).toEqual(['contoso-2026-W47-inventory.csv', 'contoso-2026-W47-findings.csv']);
    const card = JSON.parse(teams.requests.at(-1)!.body) as { type: string; attachments: Array<{ contentType: string }> };
    expect(card.type).toBe('message');
    expect(card.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
  });

  it('reports a channel that refuses the report as a failed job instead of dropping it', async () => {
    const { deps } = await setUp(400);
    const result = await reportAllTenants(deps);
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(/soc-teams: FAILED CHANNEL_REJECTED/);
    expect(result.detail).toContain('soc-mail: sent');
  });
});
