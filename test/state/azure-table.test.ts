/**
 * The Azure Table store against Azurite: the whole store contract, then what only Table Storage
 * makes hard — keys with characters it refuses, values larger than an entity or a transaction,
 * few round trips per window, table names, and how failures and damaged rows are reported.
 */
import { randomBytes } from 'node:crypto';
import { TableServiceClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { AzureTableStateStore } from '../../src/state/azure-table.js';
import type { StoredAlert, WindowCommit } from '../../src/state/types.js';
import { startAzurite } from '../helpers/azurite.js';
import { runStateStoreContract } from './contract.js';
import { allRows, freshPrefix, interceptWrites, openTableStore, rawTable, useAzurite, type Write } from './azure-table-fixture.js';
import { aggregate, alert, at, eventIds, outboxEntry, scanRecord, storedFinding, windowCommit } from './records.js';

const azurite = useAzurite();

runStateStoreContract('azure table', async () => {
  const prefix = freshPrefix();
  const store = await openTableStore(azurite(), prefix);
  return { store, reopen: () => openTableStore(azurite(), prefix), cleanup: () => store.close() };
});

/** Text gzip cannot shrink much, so it really spans several 1 MiB entities. */
function incompressible(chars: number): string {
  return randomBytes(Math.ceil((chars * 3) / 4))
    .toString('base64')
    .slice(0, chars);
}

describe('azure table keys', () => {
  const tenant = 'ten/ant#1?\\ü\u0001';
  const stream = 'stream?with/slash';
  const hostile = [
    'a/b\\c#d?e',
    'ctl\u0000\u001f\u007f\u0085\u009f',
    'x'.repeat(2000),
    'ünïcødé-🚀',
    "quote'%25%",
    '\ud800lone',
    'a_2Fb',
    'tilde~',
    ''.padEnd(300, '/'),
  ];

  it('round-trips ids, tenants, channels and names holding / \\ # ? control characters, 2,000 characters or non-ASCII', async () => {
    const store = await openTableStore(azurite(), freshPrefix());
    const alerts: StoredAlert[] = hostile.map((id) => alert(id, { tenant }));
    const commit: WindowCommit = windowCommit({
      tenant,
      stream,
      watermark: at(5),
      seenIds: hostile,
      findings: hostile.map((id, i) => storedFinding(id, { alertId: id, finding: { tenant, occurredAt: at(i) } })),
      alerts,
      outbox: hostile.map((id, i) => outboxEntry(id, { tenant, alertId: id, channel: hostile[(i + 1) % hostile.length]!, createdAt: at(i) })),
      aggregates: hostile.map((id) => aggregate({ tenant, appId: id, network: id })),
      learnedNetworks: hostile.map((id, i) => ({ tenant, appId: 'x'.repeat(2000), network: id, firstSeen: at(i) })),
      snapshot: { tenant, takenAt: at(0), json: '{"apps":[]}' },
    });
    await store.commitWindow(commit);

    expect(await store.getWatermark(tenant, stream)).toEqual(at(5));
    expect(await store.filterUnseen(tenant, stream, [...hostile, 'a/b', 'a_2F'])).toEqual(['a/b', 'a_2F']);
    expect(await store.filterUnseen('ten/ant#1?\\ü', stream, hostile)).toEqual(hostile);
    expect(await store.listFindings(tenant, at(-1), at(60))).toStrictEqual(commit.findings);
    expect(await store.getAlerts(hostile)).toStrictEqual(alerts);
    expect((await store.listAlerts(tenant, at(0), at(60))).map((a) => a.alertId).sort()).toEqual([...hostile].sort());
    expect(await store.listOutbox(tenant, 'pending')).toStrictEqual(commit.outbox);
    await store.updateOutbox(hostile[2]!, { status: 'sent', sentAt: at(9) });
    expect((await store.dueOutbox(at(60), 100, tenant)).map((e) => e.id)).toEqual(hostile.filter((_, i) => i !== 2));
    expect(await store.listAggregates(tenant, '2026-03-02', '2026-03-02')).toHaveLength(hostile.length);
    expect(await store.getLearnedNetworks(tenant, 'x'.repeat(2000))).toStrictEqual(commit.learnedNetworks);
    expect(await store.getLatestSnapshot(tenant)).toEqual(commit.snapshot);

    const url = 'https://vendor.example/ranges?format=json#v4';
    for (const key of [url, 'k'.repeat(3000), ...hostile]) await store.putCache(key, { body: `body of ${key}`, fetchedAt: at(1) });
    expect(await store.getCache(url)).toEqual({ body: `body of ${url}`, fetchedAt: at(1) });
    for (const key of hostile) expect((await store.getCache(key))?.body).toBe(`body of ${key}`);
    expect(await store.getCache('https://vendor.example/ranges?format=json')).toBeUndefined();

    await store.recordScan(scanRecord(at(0), { tenant }));
    expect(await store.listScans(tenant, at(0), at(1))).toStrictEqual([scanRecord(at(0), { tenant })]);
    await store.close();
  });
});

describe('azure table values larger than an entity', () => {
  it("round-trips a 5 MB snapshot and leaves only the latest one's chunks behind", async () => {
    const prefix = freshPrefix();
    const store = await openTableStore(azurite(), prefix);
    const snapshot = (json: string) => windowCommit({ stream: 'inventory', snapshot: { tenant: 'contoso', takenAt: at(0), json } });
    const big = JSON.stringify({ apps: [incompressible(5_000_000)] });
    await store.commitWindow(snapshot(big));
    expect((await store.getLatestSnapshot('contoso'))?.json).toBe(big);

    const bigger = JSON.stringify({ apps: [incompressible(6_000_000)] });
    await store.commitWindow(snapshot(bigger));
    expect((await store.getLatestSnapshot('contoso'))?.json).toBe(bigger);
    const chunkRows = (await allRows(rawTable(azurite(), prefix, 'Snapshots'))).filter((r) => r['rowKey'] !== 'p');
    // 6 MB of base64 gzips to about 4.5 MB: six chunk rows of one generation, none of the first.
    expect(new Set(chunkRows.map((r) => String(r['rowKey']).split('~')[1])).size).toBe(1);

    await store.commitWindow(snapshot('{"apps":[]}'));
    expect((await store.getLatestSnapshot('contoso'))?.json).toBe('{"apps":[]}');
    expect(await allRows(rawTable(azurite(), prefix, 'Snapshots'))).toHaveLength(1);
    await store.close();
  });

  it('round-trips a compressible 5 MB inventory and a 300 KB cache body, replacing them whole', async () => {
    const store = await openTableStore(azurite(), freshPrefix());
    const inventory = JSON.stringify({
      apps: Array.from({ length: 20_000 }, (_, i) => ({ appId: `app-${i}`, displayName: `Vendor app ${i} 🚀`, keys: [{ keyId: `k-${i}`, end: at(i) }] })),
    });
    expect(inventory.length).toBeGreaterThan(2_000_000);
    await store.commitWindow(windowCommit({ stream: 'inventory', snapshot: { tenant: 'contoso', takenAt: at(1), json: inventory } }));
    expect(await store.getLatestSnapshot('contoso')).toEqual({ tenant: 'contoso', takenAt: at(1), json: inventory });

    const body = incompressible(300_000);
    await store.putCache('ranges:vendor', { body, fetchedAt: at(0) });
    expect(await store.getCache('ranges:vendor')).toEqual({ body, fetchedAt: at(0) });
    await store.putCache('ranges:vendor', { body: 'small now', fetchedAt: at(5) });
    expect(await store.getCache('ranges:vendor')).toEqual({ body: 'small now', fetchedAt: at(5) });
    await store.close();
  });

  it('stores a finding longer than one string property', async () => {
    const store = await openTableStore(azurite(), freshPrefix());
    const finding = storedFinding('f-long', { finding: { summary: 'é'.repeat(200_000) } });
    await store.commitWindow(windowCommit({ findings: [finding] }));
    expect(await store.listFindings('contoso', at(-1), at(1))).toStrictEqual([finding]);
    await store.close();
  });

  it('refuses a record no entity can hold and a window no transaction can hold, storing nothing', async () => {
    const prefix = freshPrefix();
    const store = await openTableStore(azurite(), prefix);
    const huge = storedFinding('f-huge', { finding: { details: { blob: incompressible(1_500_000) } } });
    await expect(store.commitWindow(windowCommit({ watermark: at(1), findings: [huge] }))).rejects.toMatchObject({
      code: 'STATE_INVALID_INPUT',
      details: { what: 'finding f-huge', compressedBytes: expect.any(Number) as unknown },
    });
    const manyIds = Array.from({ length: 200_000 }, () => randomBytes(16).toString('hex'));
    const error = await store.commitWindow(windowCommit({ watermark: at(1), seenIds: manyIds })).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'STATE_INVALID_INPUT',
      message: expect.stringMatching(/is \d+ bytes compressed; one Azure Table commit holds at most 2900000/) as unknown,
    });
    expect(await store.getWatermark('contoso', 'signIns')).toBeUndefined();
    expect(await allRows(rawTable(azurite(), prefix, 'Journal'))).toEqual([]);
    expect(await allRows(rawTable(azurite(), prefix, 'Seen'))).toEqual([]);
    await store.close();
  });
});

describe('azure table housekeeping', () => {
  it('removes chunk generations no pointer refers to once they are an hour old, and keeps the rest', async () => {
    const prefix = freshPrefix();
    const store = await openTableStore(azurite(), prefix);
    const body = incompressible(100_000);
    await store.putCache('big', { body, fetchedAt: at(0) });
    // What a crash between writing chunks and switching the pointer leaves: generations nothing points to.
    const cache = rawTable(azurite(), prefix, 'Cache');
    const abandoned = `${String(Date.now() - 2 * 3_600_000).padStart(15, '0')}-deadbeef`;
    const inProgress = `${String(Date.now()).padStart(15, '0')}-cafef00d`;
    for (const gen of [abandoned, inProgress]) await cache.createEntity({ partitionKey: 'big', rowKey: `c~${gen}~00000`, z0: new Uint8Array(16) });
    const generations = async () => new Set((await allRows(cache)).filter((r) => r['rowKey'] !== 'p').map((r) => String(r['rowKey']).split('~')[1]));
    expect((await generations()).size).toBe(3);

    expect(await store.purgeExpired(new Date())).toBe(0);
    const left = await generations();
    expect(left.has(abandoned)).toBe(false);
    expect(left.has(inProgress)).toBe(true);
    expect(left.size).toBe(2);
    expect(await store.getCache('big')).toEqual({ body, fetchedAt: at(0) });
    await store.close();
  });
});

describe('azure table round trips', () => {
  it('commits 1,000 seen ids, 50 findings and 10 alerts in a few dozen requests, not a thousand', async () => {
    const prefix = freshPrefix();
    const writes: Write[] = [];
    const store = await openTableStore(azurite(), prefix, { wrapTableClient: interceptWrites(prefix, (w) => void writes.push(w)) });
    writes.length = 0;
    await store.commitWindow(
      windowCommit({
        watermark: at(1),
        seenIds: eventIds(0, 1000),
        findings: Array.from({ length: 50 }, (_, i) => storedFinding(`f-${i}`)),
        alerts: Array.from({ length: 10 }, (_, i) => alert(`alert-${i}`)),
        aggregates: [aggregate(), aggregate({ network: 'AS64501' })],
      }),
    );
    const byTable = (table: string) => writes.filter((w) => w.table === table).length;
    // Seen ids spread over 16 partitions (one transaction each); the 50 findings and their index rows make one.
    expect({ seen: byTable('Seen'), findings: byTable('Findings'), aggregates: byTable('Aggregates'), journal: byTable('Journal') }).toEqual({
      seen: 16,
      findings: 1,
      aggregates: 1,
      journal: 2,
    });
    expect(writes.length).toBeLessThanOrEqual(32);
    expect(await store.filterUnseen('contoso', 'signIns', eventIds(990, 20))).toEqual(eventIds(1000, 10));
    await store.close();
  });
});

describe('azure table setup and failures', () => {
  it('creates its tables under the prefix on open, and opens again over existing ones', async () => {
    const prefix = freshPrefix();
    await (await openTableStore(azurite(), prefix)).close();
    await (await openTableStore(azurite(), prefix)).close();
    const service = TableServiceClient.fromConnectionString(azurite().connectionString, { allowInsecureConnection: true });
    const names: string[] = [];
    for await (const t of service.listTables({ queryOptions: { filter: `TableName ge '${prefix}' and TableName lt '${prefix}~'` } })) names.push(t.name ?? '');
    expect(names.sort()).toEqual(
      [
        'Aggregates',
        'Alerts',
        'AuditQueries',
        'Cache',
        'Findings',
        'Journal',
        'LearnedNetworks',
        'Outbox',
        'ScanLeases',
        'Scans',
        'Seen',
        'Snapshots',
        'Watermarks',
      ].map((n) => prefix + n),
    );
  });

  it('refuses a table prefix that cannot name a table, before any request', async () => {
    for (const prefix of ['1credwatch', 'cred-watch', 'cw_x', '', 'c'.repeat(50)]) {
      await expect(openTableStore(azurite(), prefix)).rejects.toMatchObject({ code: 'STATE_INVALID_INPUT', details: { tablePrefix: prefix } });
    }
  });

  it('refuses a connection string it cannot parse, without echoing it', async () => {
    const secret = 'c2VjcmV0LWtleS1ub3QtZm9yLWxvZ3M=';
    const error = await AzureTableStateStore.open({ connectionString: `AccountKey=${secret};Nonsense=1` }, { tablePrefix: 'credwatch' }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'STATE_INVALID_INPUT', details: { tablePrefix: 'credwatch' } });
    expect(JSON.stringify(error) + String(error)).not.toContain(secret);
  });

  it('reports STATE_UNAVAILABLE, keeping the cause, when the storage endpoint stops answering', async () => {
    const own = await startAzurite();
    const options = { retryOptions: { maxRetries: 0 } };
    const prefix = freshPrefix();
    const store = await openTableStore(own, prefix, options);
    await store.commitWindow(windowCommit({ watermark: at(1) }));
    await own.stop();
    const expected = { code: 'STATE_UNAVAILABLE', retryable: true, cause: expect.objectContaining({ name: 'RestError', code: 'ECONNREFUSED' }) as unknown };
    await expect(store.getWatermark('contoso', 'signIns')).rejects.toMatchObject(expected);
    await expect(store.commitWindow(windowCommit({ watermark: at(2) }))).rejects.toMatchObject(expected);
    await expect(store.getCache('k')).rejects.toMatchObject(expected);
    await expect(openTableStore(own, prefix, options)).rejects.toMatchObject(expected);
  });

  it('reports a table deleted under it as unavailable, never as an empty table', async () => {
    const prefix = freshPrefix();
    const store = await openTableStore(azurite(), prefix);
    await store.commitWindow(windowCommit({ seenIds: ['a'] }));
    await rawTable(azurite(), prefix, 'Seen').deleteTable();
    await expect(store.filterUnseen('contoso', 'signIns', ['a'])).rejects.toMatchObject({
      code: 'STATE_UNAVAILABLE',
      details: { statusCode: 404, serviceCode: 'TableNotFound' },
    });
    await store.close();
  });

  it('reports a row it cannot read as STATE_CORRUPT, and a journal from a newer credwatch as unsupported', async () => {
    const prefix = freshPrefix();
    const store = await openTableStore(azurite(), prefix);
    await store.commitWindow(windowCommit({ alerts: [alert('alert-1')] }));
    await rawTable(azurite(), prefix, 'Alerts').updateEntity({ partitionKey: 'alert-1', rowKey: 'a', d: '{"alert_id":"alert-1",' }, 'Merge');
    await expect(store.getAlerts(['alert-1'])).rejects.toMatchObject({ code: 'STATE_CORRUPT' });

    await rawTable(azurite(), prefix, 'Journal').createEntity({
      partitionKey: '999999999999999-00000000',
      rowKey: 'j0000',
      v: { value: 2, type: 'Double' },
      n: { value: 1, type: 'Double' },
    });
    await expect(store.getWatermark('contoso', 'signIns')).rejects.toMatchObject({ code: 'STATE_VERSION_UNSUPPORTED' });
    await expect(openTableStore(azurite(), prefix)).rejects.toMatchObject({ code: 'STATE_VERSION_UNSUPPORTED' });
    await store.close();
  });
});
