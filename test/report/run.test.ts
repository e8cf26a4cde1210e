import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCredwatchError } from '../../src/errors.js';
import { DEFAULT_POSTURE } from '../../src/inventory/assess.js';
import { serializeInventory } from '../../src/inventory/snapshot.js';
import { createLogger } from '../../src/logging.js';
import { buildWeeklyReport } from '../../src/report/model.js';
import { reportCacheKey, runReport } from '../../src/report/run.js';
import { RULES } from '../../src/rules/index.js';
import { MemoryStateStore } from '../../src/state/memory.js';
import type { StateStore } from '../../src/state/types.js';
import { aggregates, alerts, findings, GENERATED_AT, inventory, outbox, reportInput, scans, SIGNIN_COVERAGE, TENANT, VENDORS } from './model-fixtures.js';

const titles = new Map(RULES.map((r) => [r.id, r.title]));
const ruleTitle = (id: string) => titles.get(id) ?? id;
const logger = createLogger({ level: 'silent' });

/** The known state, stored the way a scan stores it: one window commit and the recorded scans. */
async function knownStore(): Promise<StateStore> {
  const store = new MemoryStateStore({ now: () => GENERATED_AT });
  const inv = inventory();
  await store.commitWindow({
    tenant: TENANT,
    stream: 'signIns',
    watermark: undefined,
    seenIds: [],
    seenExpiresAt: new Date('2027-01-01T00:00:00Z'),
    findings: findings(),
    alerts: alerts(),
    outbox: outbox(),
    aggregates: aggregates(),
    learnedNetworks: [],
    covered: SIGNIN_COVERAGE,
    snapshot: { tenant: TENANT, takenAt: inv.collectedAt, json: serializeInventory(inv) },
  });
  for (const s of scans()) await store.recordScan({ tenant: TENANT, ...s, sources: [...s.sources], errors: [...s.errors], summaryJson: '{}' });
  return store;
}

const deps = (store: StateStore, now: Date) => ({
  store,
  config: { posture: DEFAULT_POSTURE, vendors: VENDORS, collection: { backfillInDays: 7 } },
  now: () => now,
  logger,
});

describe('runReport', () => {
  it('builds from the store exactly the report the model gives for the same state, and keeps it for next week', async () => {
    const store = await knownStore();
    const { report, files } = await runReport(deps(store, GENERATED_AT), { name: TENANT });
    expect(report.week).toBe('2026-W48');
    expect(files).toBeUndefined();
    expect(report).toEqual(buildWeeklyReport(reportInput({ ruleTitle })));
    expect(JSON.parse((await store.getCache(reportCacheKey(TENANT, '2026-W48')))!.body)).toEqual(report);
  });

  it('writes the JSON, both CSVs and the HTML when given a renderer', async () => {
    const out = await mkdtemp(join(tmpdir(), 'credwatch-report-'));
    const { report, files } = await runReport(deps(await knownStore(), GENERATED_AT), { name: TENANT }, '2026-W48', {
      outDir: out,
      renderHtml: (r) => `<html>${r.week}</html>`,
    });
    expect(files).toEqual({
      json: join(out, 'contoso-2026-W48.json'),
      inventoryCsv: join(out, 'contoso-2026-W48-inventory.csv'),
      findingsCsv: join(out, 'contoso-2026-W48-findings.csv'),
      html: join(out, 'contoso-2026-W48.html'),
    });
    expect(JSON.parse(await readFile(files!.json, 'utf8'))).toEqual(report);
    expect((await readFile(files!.findingsCsv, 'utf8')).trimEnd().split('\n')).toHaveLength(1 + 3);
    expect((await readFile(files!.inventoryCsv!, 'utf8')).trimEnd().split('\n')).toHaveLength(1 + 6);
    expect(await readFile(files!.html!, 'utf8')).toBe('<html>2026-W48</html>');
    // Written through temporary names; none is left behind.
    expect((await readdir(out)).sort()).toEqual([
      'contoso-2026-W48-findings.csv',
      'contoso-2026-W48-inventory.csv',
      'contoso-2026-W48.html',
      'contoso-2026-W48.json',
    ]);
  });

  it('compares the next week with the stored report', async () => {
    const store = await knownStore();
    await runReport(deps(store, GENERATED_AT), { name: TENANT }, '2026-W48');
    const { report } = await runReport(deps(store, new Date('2026-12-07T06:00:00Z')), { name: TENANT });
    expect(report.week).toBe('2026-W49');
    expect(report.changesStatus).toBe('compared');
    expect(report.changes).toMatchObject({ since: '2026-W48', newApps: [], newCredentials: [], removedCredentials: [], newGrants: [] });
    expect(report.summary.find((m) => m.key === 'secrets')).toMatchObject({ value: 1, previous: 1, delta: 0 });
    // No scan recorded in W49: sign-ins unknown, so no difference either.
    expect(report.summary.find((m) => m.key === 'signInsOutsideAllowlist')).toMatchObject({ value: null, previous: 5, delta: null });
  });

  it('treats an inventory last taken before the week as not collected', async () => {
    const { report } = await runReport(deps(await knownStore(), new Date('2026-12-14T06:00:00Z')), { name: TENANT }, '2026-W50');
    expect(report.inventory).toBeNull();
    expect(report.summary.find((m) => m.key === 'mailboxApps')?.value).toBeNull();
  });

  it('rejects a malformed week before reading anything', async () => {
    const error = await runReport(deps(await knownStore(), GENERATED_AT), { name: TENANT }, '2026-W60').catch((e: unknown) => e);
    expect(isCredwatchError(error, 'CONFIG_INVALID')).toBe(true);
  });

  it('keeps a tenant name from writing outside the output directory', async () => {
    const out = await mkdtemp(join(tmpdir(), 'credwatch-report-'));
    const { files } = await runReport(deps(await knownStore(), GENERATED_AT), { name: '../../etc/evil' }, '2026-W48', { outDir: out });
    expect(files!.json).toBe(join(out, '__.._etc_evil-2026-W48.json'));
  });
});
