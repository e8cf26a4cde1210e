import { describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../src/contract.js';
import { judgeAuditStage, type AuditRead } from '../../src/scan/stages/audits.js';
import { scanWindow } from '../../src/scan/window.js';
import { emptyContext, minutesAgo, NOW, stageRun, TENANT } from './run.js';

/** An audit row no rule cares about: the stage's bookkeeping is what is under test. */
function audit(id: string, minutes: number): AuditEvent {
  return {
    id,
    activityAt: minutesAgo(minutes),
    activity: 'Update service principal',
    kind: 'other',
    result: 'success',
    initiatedBy: { type: 'user', id: 'u1', name: 'admin@contoso.example' },
    target: { id: 'sp-1', type: 'ServicePrincipal', displayName: 'Contoso HR Sync', appId: undefined },
    credentialChanges: [],
    permissions: [],
  };
}

async function setUp() {
  const run = await stageRun();
  const window = scanWindow(undefined, NOW, run.config.collection);
  const read = (events: AuditEvent[] | undefined, extra: Partial<AuditRead> = {}): AuditRead => ({
    window,
    events,
    quarantined: 0,
    sources: [],
    errors: [],
    ...extra,
  });
  return { run, window, read, context: emptyContext(run) };
}

describe('the audit stage, given the window it read', () => {
  it("commits the new audits with the window's watermark, and finds nothing new in the same window again", async () => {
    const { run, window, read, context } = await setUp();
    const first = await judgeAuditStage(run, read([audit('a1', 90), audit('a2', 30)], { quarantined: 1 }), context);
    expect(first.events).toEqual({ audits: 2, newAudits: 2, quarantined: 1 });
    expect(first.sources).toEqual([{ source: 'directoryAudits', status: 'complete', items: 2 }]);
    expect(first.errors).toEqual([]);
    expect(await run.store.getWatermark(TENANT, 'directoryAudits')).toEqual(window.to);

    const again = await judgeAuditStage(run, read([audit('a1', 90), audit('a2', 30), audit('a3', 10)]), context);
    expect(again.events).toEqual({ audits: 3, newAudits: 1, quarantined: 0 });
  });

  it('leaves the watermark where it was when the window could not be read, and passes the read failure on', async () => {
    const { run, read, context } = await setUp();
    const failure = {
      sources: [{ source: 'directoryAudits', status: 'failed' as const, errorCode: 'GRAPH_THROTTLED' }],
      errors: [{ stage: 'directoryAudits', code: 'GRAPH_THROTTLED', message: 'slow down' }],
    };
    const result = await judgeAuditStage(run, read(undefined, failure), context);
    expect(result).toMatchObject({ ...failure, events: { audits: 0, newAudits: 0, quarantined: 0 } });
    expect(await run.store.getWatermark(TENANT, 'directoryAudits')).toBeUndefined();
  });

  it('says which records a watermark older than the log retention has lost', async () => {
    const { run, read, context } = await setUp();
    const stale = scanWindow(new Date(NOW.getTime() - 40 * 86_400_000), NOW, run.config.collection);
    const result = await judgeAuditStage(run, read([], { window: stale }), context);
    expect(result.errors).toEqual([
      expect.objectContaining({
        stage: 'directoryAudits',
        code: 'DATA_GAP',
        message: expect.stringMatching(/beyond the 30-day retention: records from .* could not be read$/),
      }),
    ]);
  });

  it('reports a watermark ahead of the clock instead of trusting it', async () => {
    const { run, read, context } = await setUp();
    const ahead = scanWindow(new Date(NOW.getTime() + 86_400_000), NOW, run.config.collection);
    const result = await judgeAuditStage(run, read([], { window: ahead }), context);
    expect(result.errors).toEqual([expect.objectContaining({ code: 'WATERMARK_IN_FUTURE' })]);
  });
});
