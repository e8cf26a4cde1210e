import { describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../src/contract.js';
import { CredwatchError } from '../../src/errors.js';
import { blindSpotStage } from '../../src/scan/stages/blind-spots.js';
import { MemoryStateStore } from '../../src/state/index.js';
import type { WindowCommit } from '../../src/state/types.js';
import { emptyContext, minutesAgo, MONITOR_CLIENT_ID, NOW, stageRun, TENANT } from './run.js';

const ok = (source: string): SourceRecord => ({ source, status: 'complete' });
const failed = (source: string, errorCode: string, message = 'it failed'): SourceRecord => ({ source, status: 'failed', errorCode, message });
const later = new Date(NOW.getTime() + 3_600_000);

/** A store that cannot take a commit, as when the disk is full. */
class FullDiskStore extends MemoryStateStore {
  override commitWindow(_commit: WindowCommit): Promise<void> {
    return Promise.reject(new CredwatchError('STATE_UNAVAILABLE', 'disk full'));
  }
}

describe('the blind-spot stage, given the sources the other stages recorded', () => {
  it('raises nothing and stores nothing when every source was read', async () => {
    const run = await stageRun();
    const result = await blindSpotStage(run, emptyContext(run), [ok('inventory:applications'), ok('directoryAudits'), ok('signIns')]);
    expect(result).toMatchObject({ sources: [], errors: [], ruleErrors: [], tally: { findings: 0, newAlerts: 0, notifications: 0 } });
    expect(await run.store.listAlerts(TENANT, new Date(0), later)).toEqual([]);
  });

  it('queues one critical alert about credwatch itself when the sign-in logs are forbidden, without counting it as a detection', async () => {
    const run = await stageRun();
    const result = await blindSpotStage(run, emptyContext(run), [
      ok('inventory:applications'),
      failed('signIns', 'GRAPH_PERMISSION_MISSING', 'needs AuditLog.Read.All'),
    ]);
    expect(result.tally).toMatchObject({ findings: 1, newAlerts: 1, notifications: 1, raised: 0, bySeverity: { critical: 1 } });
    const [alert, ...rest] = await run.store.listAlerts(TENANT, new Date(0), later);
    expect(rest).toEqual([]);
    expect(alert).toMatchObject({ ruleId: 'collection-failing', severity: 'critical', appId: MONITOR_CLIENT_ID, appDisplayName: 'credwatch (monitoring)' });
    expect(await run.store.listOutbox(TENANT, 'pending')).toEqual([expect.objectContaining({ alertId: alert!.alertId, channel: 'file' })]);
  });

  it('heads the alert with the worst blind spot when several sources failed', async () => {
    const run = await stageRun();
    await blindSpotStage(run, emptyContext(run), [failed('directoryAudits', 'INTERNAL'), failed('signIns', 'AUTH_FAILED', 'AADSTS7000215')]);
    const [alert] = await run.store.listAlerts(TENANT, new Date(0), later);
    expect(alert).toMatchObject({ severity: 'critical', resources: ['sign-in logs', 'directory audit logs'] });
    expect(alert!.summary).toMatch(/^credwatch cannot read the sign-in logs of tenant contoso \(AUTH_FAILED/);
  });

  it('waits for a second failing scan in a row before raising a transient failure', async () => {
    const run = await stageRun();
    expect((await blindSpotStage(run, emptyContext(run), [failed('signIns', 'GRAPH_UNAVAILABLE')])).tally.findings).toBe(0);

    await run.store.recordScan({
      tenant: TENANT,
      startedAt: minutesAgo(15),
      finishedAt: minutesAgo(14),
      sources: [failed('signIns', 'GRAPH_UNAVAILABLE')],
      errors: [],
      summaryJson: '{}',
    });
    const second = await blindSpotStage(run, emptyContext(run), [failed('signIns', 'GRAPH_UNAVAILABLE')]);
    expect(second.tally.bySeverity).toMatchObject({ high: 1, critical: 0 });
    const [alert] = await run.store.listAlerts(TENANT, new Date(0), later);
    expect(alert!.summary).toMatch(/GRAPH_UNAVAILABLE, failing since 2026-11-26 11:45 UTC, 2 scans in a row/);
  });

  it('raises a vendor whose every allowlist source was refused, naming it', async () => {
    const run = await stageRun({
      vendors: [{ name: 'Mimecast', appIds: ['bbbbbbbb-0000-4000-8000-0000000000a1'], allowedRanges: [{ type: 'cidrs', cidrs: ['205.139.110.0/24'] }] }],
    });
    await blindSpotStage(run, emptyContext(run), [
      failed('allowlist:Mimecast:url:https://feeds.example/ranges.txt', 'ALLOWLIST_TOO_BROAD', 'allows 0.0.0.0/0'),
    ]);
    const [alert] = await run.store.listAlerts(TENANT, new Date(0), later);
    expect(alert).toMatchObject({ severity: 'high', resources: ['allowed networks of Mimecast'] });
  });

  it('reports a store that refuses the alert as an error of stage health, instead of failing the scan', async () => {
    const run = await stageRun({ store: new FullDiskStore({ now: () => NOW }) });
    const result = await blindSpotStage(run, emptyContext(run), [failed('signIns', 'GRAPH_PERMISSION_MISSING')]);
    expect(result.errors).toEqual([{ stage: 'health', code: 'STATE_UNAVAILABLE', message: 'disk full' }]);
    expect(result.tally).toMatchObject({ findings: 0, newAlerts: 0, notifications: 0 });
  });
});
