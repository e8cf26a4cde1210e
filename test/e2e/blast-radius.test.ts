/**
 * The blast radius of the Mimecast-like incident, end to end: the real MSAL and Graph client ask
 * the simulator's audit log query API over HTTPS, the state store keeps the query, and the summary
 * names the mailboxes the stolen certificate read from the foreign addresses.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { summarizeBlastRadius } from '../../src/collect/blast-radius.js';
import { openMailAccessQuery, pollMailAccessQuery, type MailAccessQueryDeps, type MailAccessRequest } from '../../src/collect/mail-access-query.js';
import { CredwatchError } from '../../src/errors.js';
import { CREDWATCH_ROLES, mimecastScenario, startSimulator, type AuditLogScenario, type RunningSimulator } from '../../src/simulator/index.js';
import { mailItemsAccessed } from '../../src/simulator/scenarios/mail-audit.js';
import { MIMECAST_BLAST_RADIUS } from '../../src/simulator/scenarios/mimecast.js';
import { VENDOR_APP_ID } from '../../src/simulator/scenarios/vendor.js';
import { MemoryStateStore } from '../../src/state/memory.js';
import { SqliteStateStore } from '../../src/state/sqlite.js';
import type { StateStore } from '../../src/state/types.js';
import { captureLogger, connect, simulatorConfig } from '../helpers/tenant.js';

const AUDIT_ROLE = 'AuditLogsQuery-Exchange.Read.All';
const start = new Date();
let clock = start;
const now = () => clock;
const minutes = (n: number) => {
  clock = new Date(clock.getTime() + n * 60_000);
};
const [V4 = '', V6 = ''] = MIMECAST_BLAST_RADIUS.ips;
const alert = (ips: string[]): MailAccessRequest => ({ appId: VENDOR_APP_ID, ips, from: new Date(start.getTime() - 24 * 3_600_000), to: start });

let sim: RunningSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
  clock = start;
});

async function tenant(
  options: { roles?: readonly string[]; auditLog?: Partial<AuditLogScenario> } = {},
): Promise<{ sim: RunningSimulator; deps: (store: StateStore) => MailAccessQueryDeps }> {
  const scenario = mimecastScenario(start);
  scenario.auditLog = { records: scenario.auditLog?.records ?? [], ...options.auditLog };
  sim = await startSimulator({ scenario, now, grantedRoles: options.roles ?? [...CREDWATCH_ROLES, AUDIT_ROLE] });
  const { graph } = connect(await simulatorConfig(sim, 'certificate'), captureLogger('warn').logger);
  return { sim, deps: (store) => ({ graph, store, now }) };
}

const posts = (s: RunningSimulator) => s.requests.filter((r) => r.method === 'POST' && r.path === '/v1.0/security/auditLog/queries');

async function failure(promise: Promise<unknown>): Promise<CredwatchError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof CredwatchError)) throw new Error(`expected a CredwatchError, got ${String(error)}`);
  return error;
}

describe('blast radius of the stolen vendor certificate', () => {
  it('names the mailboxes the vendor app read from the foreign addresses, once the query has run', async () => {
    const { sim, deps } = await tenant();
    const d = deps(new MemoryStateStore());
    const query = await openMailAccessQuery(d, sim.tenantId, alert([V4, V6]));
    expect(query).toMatchObject({ state: 'notStarted', ips: [V6, V4].sort() });
    expect(await pollMailAccessQuery(d, query)).toMatchObject({ done: false, query: { state: 'notStarted' } });
    minutes(2);
    expect(await pollMailAccessQuery(d, query)).toMatchObject({ done: false, query: { state: 'running' } });
    minutes(5);
    const outcome = await pollMailAccessQuery(d, query);
    if (!outcome.done) throw new Error('query not done');
    const radius = summarizeBlastRadius({
      appId: VENDOR_APP_ID,
      ips: [V4, V6],
      from: query.from,
      to: query.to,
      records: outcome.records.records,
      complete: outcome.complete,
    });
    const expected = [...new Set([...MIMECAST_BLAST_RADIUS.ipv4Mailboxes, ...MIMECAST_BLAST_RADIUS.ipv6Mailboxes])].sort();
    expect(radius).toMatchObject({
      records: 9,
      mailboxes: { count: 7, list: expected, truncated: false },
      itemsNamed: 8 * MIMECAST_BLAST_RADIUS.messagesPerRecord,
      bind: 8,
      sync: 1,
      recordsWithoutItemCount: 1,
      perIp: [
        { ip: V4, records: 7, mailboxes: 6 },
        { ip: V6, records: 2, mailboxes: 2 },
      ],
      otherAppRecords: 0,
      complete: true,
    });
    // The query asked Graph for the alerted addresses only: the vendor's own journaling never came back.
    expect(outcome.records.records.every((r) => r.clientIp === V4 || r.clientIp === V6)).toBe(true);
  });

  it('counts only the alerted address, and serves a later alert of the same app and window from the same query', async () => {
    const { sim, deps } = await tenant();
    const d = deps(new MemoryStateStore());
    const first = await openMailAccessQuery(d, sim.tenantId, alert([V4, V6]));
    const again = await openMailAccessQuery(d, sim.tenantId, { ...alert([V4]), from: new Date(start.getTime() - 3_600_000) });
    expect(again.queryId).toBe(first.queryId);
    expect(posts(sim)).toHaveLength(1);
    minutes(10);
    const outcome = await pollMailAccessQuery(d, again);
    if (!outcome.done) throw new Error('query not done');
    const radius = summarizeBlastRadius({
      appId: VENDOR_APP_ID,
      ips: [V4],
      from: first.from,
      to: first.to,
      records: outcome.records.records,
      complete: outcome.complete,
    });
    expect(radius).toMatchObject({ records: 7, mailboxes: { count: 6, list: [...MIMECAST_BLAST_RADIUS.ipv4Mailboxes].sort() }, otherIpRecords: 2 });
  });

  it('gives up on a query that never finishes, as BLAST_RADIUS_TIMED_OUT, and keeps it abandoned', async () => {
    const { sim, deps } = await tenant({ auditLog: { outcome: 'neverFinishes' } });
    const store = new MemoryStateStore();
    const d = deps(store);
    const query = await openMailAccessQuery(d, sim.tenantId, alert([V4]));
    minutes(30);
    expect(await pollMailAccessQuery(d, query, { giveUpAfterInMs: 40 * 60_000 })).toMatchObject({ done: false, query: { state: 'running' } });
    minutes(15);
    expect((await failure(pollMailAccessQuery(d, query, { giveUpAfterInMs: 40 * 60_000 }))).code).toBe('BLAST_RADIUS_TIMED_OUT');
    expect(await store.listAuditQueries(sim.tenantId, VENDOR_APP_ID)).toMatchObject([{ state: 'abandoned', lastError: 'BLAST_RADIUS_TIMED_OUT' }]);
  });

  it('reports a failed query as BLAST_RADIUS_QUERY_FAILED, and a later alert asks again', async () => {
    const { sim, deps } = await tenant({ auditLog: { outcome: 'failed' } });
    const d = deps(new MemoryStateStore());
    const query = await openMailAccessQuery(d, sim.tenantId, alert([V4]));
    minutes(10);
    expect((await failure(pollMailAccessQuery(d, query))).code).toBe('BLAST_RADIUS_QUERY_FAILED');
    await openMailAccessQuery(d, sim.tenantId, { ...alert([V4]), to: new Date(start.getTime() + 3_600_000) });
    expect(posts(sim)).toHaveLength(2);
  });

  it('says the blast radius is unknown for lack of permission, with a stable code, and does not ask again for the same alert', async () => {
    const { sim, deps } = await tenant({ roles: CREDWATCH_ROLES });
    const d = deps(new MemoryStateStore());
    const error = await failure(openMailAccessQuery(d, sim.tenantId, alert([V4])));
    expect(error.code).toBe('BLAST_RADIUS_NO_PERMISSION');
    expect(posts(sim).map((r) => r.status)).toEqual([403]);
    expect((await failure(openMailAccessQuery(d, sim.tenantId, alert([V4])))).code).toBe('BLAST_RADIUS_NO_PERMISSION');
    expect(posts(sim)).toHaveLength(1);
  });

  it('never creates a second query after a crash between "query created" and "id stored": the restart finds it by name', async () => {
    const { sim, deps } = await tenant();
    const dir = await mkdtemp(join(tmpdir(), 'credwatch-blast-'));
    try {
      const path = join(dir, 'state.db');
      let store = SqliteStateStore.open(path, { now });
      // Graph creates the query, but its answer never arrives whole (the process could as well have died here).
      sim.setFaults({ rules: [{ pathIncludes: '/security/auditLog/queries', kind: 'truncate' }] });
      const lost = await failure(openMailAccessQuery(deps(store), sim.tenantId, alert([V4])));
      expect(lost.code).toBe('GRAPH_BAD_RESPONSE');
      expect(await store.listAuditQueries(sim.tenantId, VENDOR_APP_ID)).toMatchObject([{ state: 'requested', queryId: undefined }]);
      await store.close();

      store = SqliteStateStore.open(path, { now });
      const found = await openMailAccessQuery(deps(store), sim.tenantId, alert([V4]));
      const again = await openMailAccessQuery(deps(store), sim.tenantId, alert([V4]));
      expect(found.queryId).toEqual(expect.any(String));
      expect(again.queryId).toBe(found.queryId);
      expect(posts(sim)).toHaveLength(1);
      await store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stops at the daily cap with BLAST_RADIUS_DAILY_CAP, before asking Graph', async () => {
    const { sim, deps } = await tenant();
    const d = deps(new MemoryStateStore());
    await openMailAccessQuery(d, sim.tenantId, alert([V4]), { dailyCap: 1 });
    expect((await failure(openMailAccessQuery(d, sim.tenantId, alert([V6]), { dailyCap: 1 }))).code).toBe('BLAST_RADIUS_DAILY_CAP');
    expect(posts(sim)).toHaveLength(1);
  });

  it('follows the records across pages, and says the list is incomplete when it stops at its cap', async () => {
    const many = Array.from({ length: 250 }, (_, i) =>
      mailItemsAccessed({
        label: `many/${i}`,
        at: new Date(start.getTime() - 3_600_000 + i * 1000),
        tenantId: 't',
        appId: VENDOR_APP_ID,
        ip: V4,
        mailbox: `user${i}@contoso.example`,
        access: 'Bind',
      }),
    );
    const { sim, deps } = await tenant({ auditLog: { records: many } });
    const d = deps(new MemoryStateStore());
    const query = await openMailAccessQuery(d, sim.tenantId, alert([V4]));
    minutes(10);
    const all = await pollMailAccessQuery(d, query);
    expect(all).toMatchObject({ done: true, complete: true, records: { capped: false } });
    if (all.done)
      expect(
        summarizeBlastRadius({ appId: VENDOR_APP_ID, ips: [V4], from: query.from, to: query.to, records: all.records.records, complete: all.complete })
          .mailboxes.count,
      ).toBe(250);
    const pages = sim.requests.filter((r) => r.path.endsWith('/records'));
    expect(pages).toHaveLength(3);
    expect(await pollMailAccessQuery(d, query, { maxRecords: 120 })).toMatchObject({ done: true, complete: false, records: { capped: true } });
  });

  it("refuses a body that is not an auditLogQuery with Graph's 400, sent once", async () => {
    const { sim, deps } = await tenant();
    const { graph } = deps(new MemoryStateStore());
    const error = await failure(graph.postJson('/security/auditLog/queries', { displayName: 'x', mailboxes: ['ceo@contoso.example'] }));
    expect(error).toMatchObject({ code: 'GRAPH_REQUEST_REJECTED', details: { status: 400, graphCode: 'BadRequest' } });
    const dates = await failure(graph.postJson('/security/auditLog/queries', { filterStartDateTime: 'yesterday' }));
    expect(dates.details).toMatchObject({ status: 400 });
    expect(posts(sim).map((r) => r.status)).toEqual([400, 400]);
    expect(sim.requests.filter((r) => r.method === 'GET' && r.path === '/v1.0/security/auditLog/queries')).toHaveLength(0);
  });
});
