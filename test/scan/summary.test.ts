import { describe, expect, it } from 'vitest';
import { emptyTally, type CommitTally } from '../../src/scan/commit.js';
import type { StageReport } from '../../src/scan/stages/stage.js';
import { assembleSummary, emptySummary, sourcesOf, type StageResults } from '../../src/scan/summary.js';
import { NOW } from './run.js';

const finishedAt = new Date(NOW.getTime() + 42_000);
const facts = { tenant: 'contoso', startedAt: NOW, finishedAt, watermarkLagInMinutes: { signIns: 5, directoryAudits: undefined }, graphRequests: 17 };

function tally(counts: Partial<Omit<CommitTally, 'bySeverity' | 'expiredSuppressions'>> & { bySeverity?: Partial<CommitTally['bySeverity']> }): CommitTally {
  const t = emptyTally();
  return { ...t, ...counts, bySeverity: { ...t.bySeverity, ...counts.bySeverity } };
}

/** A scan where the inventory was refused, the audits and sign-ins were read, and credwatch raised its own alert. */
function stages(): StageResults {
  const judged = { sources: [], errors: [], tally: emptyTally(), ruleErrors: [] };
  const expired = tally({ findings: 1, suppressed: 1, updatedAlerts: 1, bySeverity: { medium: 1 } });
  expired.expiredSuppressions.set('k', {
    rule: 'signin-new-network',
    appId: 'app-1',
    reason: 'migration',
    owner: 'secops',
    expires: new Date('2026-11-20T23:59:59.999Z'),
  });
  return {
    inventory: {
      inventory: undefined,
      changes: [],
      learned: new Map(),
      sources: [{ source: 'inventory', status: 'failed', errorCode: 'AUTH_FAILED', message: 'rejected' }],
      errors: [{ stage: 'inventory', code: 'AUTH_FAILED', message: 'rejected' }],
    },
    allowlists: {
      allowlists: { byVendor: new Map(), health: new Map(), sources: [] },
      sources: [{ source: 'allowlist:Mimecast:cidrs', status: 'complete', items: 3 }],
      errors: [],
    },
    audits: {
      ...judged,
      sources: [{ source: 'directoryAudits', status: 'complete', items: 5 }],
      errors: [{ stage: 'directoryAudits', code: 'DATA_GAP', message: 'lost' }],
      tally: expired,
      ruleErrors: [{ ruleId: 'credential-added', count: 2, lastError: 'first' }],
      events: { audits: 5, newAudits: 2, quarantined: 1 },
    },
    signIns: {
      ...judged,
      sources: [{ source: 'signIns', status: 'complete', items: 100 }],
      tally: tally({ findings: 12, newAlerts: 1, notifications: 1, raised: 1, bySeverity: { critical: 12 } }),
      events: { signIns: 100, newSignIns: 40, quarantined: 2 },
      backlog: undefined,
    },
    inventoryFindings: { ...judged, ruleErrors: [{ ruleId: 'credential-added', count: 1, lastError: 'last' }] },
    blindSpots: { ...judged, tally: tally({ findings: 1, newAlerts: 1, notifications: 2, bySeverity: { critical: 1 } }) },
    delivery: { sent: 3, retrying: 0, failed: 0, errors: [] },
  };
}

describe('the scan summary, built from the stage results alone', () => {
  it('lists sources and errors in the order the stages ran', () => {
    const summary = assembleSummary(facts, stages());
    expect(summary.sources.map((s) => `${s.source} ${s.status}`)).toEqual([
      'inventory failed',
      'allowlist:Mimecast:cidrs complete',
      'directoryAudits complete',
      'signIns complete',
    ]);
    expect(summary.errors.map((e) => `${e.stage} ${e.code}`)).toEqual(['inventory AUTH_FAILED', 'directoryAudits DATA_GAP']);
  });

  it("adds up events, findings and alerts, and counts credwatch's own alert as notified but not raised", () => {
    const summary = assembleSummary(facts, stages());
    expect(summary.events).toEqual({ signIns: 100, newSignIns: 40, audits: 5, newAudits: 2, quarantined: 3 });
    expect(summary.findings).toEqual({ informational: 0, low: 0, medium: 1, high: 0, critical: 13 });
    expect(summary.alerts).toEqual({ new: 2, updated: 1, notifications: 3, raised: 1 });
    expect(summary.suppressed).toBe(1);
  });

  it("names an expired suppression with its owner, and merges one rule's errors across stages", () => {
    const summary = assembleSummary(facts, stages());
    expect(summary.expiredSuppressions).toEqual(['signin-new-network (app-1) expired 2026-11-20, owner secops']);
    expect(summary.ruleErrors).toEqual([{ ruleId: 'credential-added', count: 3, lastError: 'last' }]);
  });

  it('keeps the facts of the run and the delivery as given', () => {
    const summary = assembleSummary(facts, stages());
    expect(summary).toMatchObject({
      tenant: 'contoso',
      startedAt: NOW,
      finishedAt,
      graphRequests: 17,
      watermarkLagInMinutes: { signIns: 5 },
      delivery: { sent: 3 },
    });
  });

  it('has the same shape as the summary of a scan that never started', () => {
    expect(Object.keys(assembleSummary(facts, stages()))).toEqual(Object.keys(emptySummary('contoso', NOW)));
    expect(emptySummary('contoso', NOW).findings).toEqual({ informational: 0, low: 0, medium: 0, high: 0, critical: 0 });
  });

  it('feeds the blind-spot stage every source recorded before it, in order', () => {
    const reports: StageReport[] = [
      { sources: [{ source: 'a', status: 'complete' }], errors: [] },
      { sources: [], errors: [] },
      { sources: [{ source: 'b', status: 'failed' }], errors: [] },
    ];
    expect(sourcesOf(reports).map((s) => s.source)).toEqual(['a', 'b']);
  });
});
