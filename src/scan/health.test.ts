import { describe, expect, it } from 'vitest';
import type { TenantConfig } from '../config/types.js';
import type { ScanRecord } from '../state/types.js';
import { collectionHealth, monitorOf } from './health.js';

const now = new Date('2026-11-26T12:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const tenant = { name: 'contoso', auth: { mode: 'secret', clientId: 'cw-client-id' } } as unknown as TenantConfig;
type Sources = ScanRecord['sources'];

const ok = (source: string) => ({ source, status: 'complete' });
const failed = (source: string, errorCode: string, message = 'it failed') => ({ source, status: 'failed', errorCode, message });

/** A store that keeps scan records and counts how often history was read. */
function history(...scans: Array<[minutesAgo: number, sources: Sources]>) {
  const records = scans.map(([m, sources]) => ({
    tenant: 'contoso',
    startedAt: minutesAgo(m),
    finishedAt: minutesAgo(m),
    sources,
    errors: [],
    summaryJson: '{}',
  }));
  const reads: number[] = [];
  return {
    reads,
    listScans: (_tenant: string, from: Date, to: Date) => {
      reads.push((to.getTime() - from.getTime()) / 3_600_000);
      return Promise.resolve(records.filter((r) => r.startedAt >= from && r.startedAt < to).sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime()));
    },
  };
}

describe('collectionHealth', () => {
  it('counts a sign-in backlog that keeps growing as failing, and one that merely waits for the next run as read', async () => {
    const growing = { source: 'signIns', status: 'partial', errorCode: 'SIGNINS_BACKLOG_GROWING', message: 'the sign-in backlog grew' };
    const waiting = { source: 'signIns', status: 'partial', errorCode: 'SIGNINS_BACKLOG', message: 'stopped at the deadline' };
    expect(await collectionHealth(history(), tenant, [], [waiting], now)).toEqual([]);
    const store = history([15, [growing]], [30, [waiting]]);
    expect(await collectionHealth(store, tenant, [], [growing], now)).toEqual([
      expect.objectContaining({ source: 'signIns', code: 'SIGNINS_BACKLOG_GROWING', consecutiveFailures: 2, failingSince: minutesAgo(15) }),
    ]);
  });

  it('reads no history when every source was collected', async () => {
    const store = history();
    expect(await collectionHealth(store, tenant, [], [ok('signIns'), ok('directoryAudits'), ok('inventory:applications')], now)).toEqual([]);
    expect(store.reads).toEqual([]);
  });

  it('counts the failing scans in a row back to the last success, skipping scans that did not record the source', async () => {
    const store = history(
      [45, [ok('signIns')]],
      [30, [failed('signIns', 'GRAPH_THROTTLED')]],
      [20, [ok('directoryAudits')]],
      [15, [failed('signIns', 'GRAPH_UNAVAILABLE')]],
    );
    const [signIns, ...rest] = await collectionHealth(store, tenant, [], [failed('signIns', 'GRAPH_UNAVAILABLE'), ok('directoryAudits')], now);
    expect(rest).toEqual([]);
    expect(signIns).toMatchObject({
      source: 'signIns',
      code: 'GRAPH_UNAVAILABLE',
      consecutiveFailures: 3,
      failingSince: minutesAgo(30),
      monitor: { appId: 'cw-client-id', displayName: 'credwatch (monitoring)' },
    });
    expect(store.reads).toEqual([6]);
  });

  it('looks further back only while a failure reaches the start of what it read', async () => {
    const store = history(
      [60 * 30, [ok('signIns')]],
      [60 * 10, [failed('signIns', 'GRAPH_LICENSE_MISSING')]],
      [60, [failed('signIns', 'GRAPH_LICENSE_MISSING')]],
    );
    const [signIns] = await collectionHealth(store, tenant, [], [failed('signIns', 'GRAPH_LICENSE_MISSING')], now);
    expect(signIns).toMatchObject({ consecutiveFailures: 3, failingSince: minutesAgo(60 * 10) });
    expect(store.reads).toEqual([6, 192]);
  });

  it('treats the inventory as one source, naming the failed parts and preferring the code a person must fix', async () => {
    const current = [
      ok('inventory:servicePrincipals'),
      failed('inventory:oauth2PermissionGrants', 'GRAPH_UNAVAILABLE'),
      failed('inventory:appRoleAssignedTo:Microsoft Graph', 'GRAPH_PERMISSION_MISSING', 'needs Application.Read.All'),
    ];
    const [inventory] = await collectionHealth(history(), tenant, [], current, now);
    expect(inventory).toMatchObject({ source: 'inventory', vendor: undefined, code: 'GRAPH_PERMISSION_MISSING' });
    expect(inventory!.message).toBe(
      'needs Application.Read.All (2 parts failed: inventory:oauth2PermissionGrants, inventory:appRoleAssignedTo:Microsoft Graph)',
    );
  });

  it('raises a vendor only when every one of its allowlist sources failed, and keeps vendors with shared prefixes apart', async () => {
    const current = [
      failed(
        'allowlist:Acme:url:https://feeds.example/acme.txt?token=FEEDSECRET',
        'ALLOWLIST_SOURCE_FAILED',
        'https://feeds.example/acme.txt?token=FEEDSECRET answered HTTP 503.',
      ),
      ok('allowlist:Acme:Backup:cidrs'),
      failed('allowlist:Acme:Backup:file:/etc/ranges.txt', 'ALLOWLIST_SOURCE_FAILED'),
      failed('allowlist:Mimecast:file:/missing.txt', 'ALLOWLIST_SOURCE_FAILED', 'could not read allowlist file /missing.txt (ENOENT).'),
      ok('allowlist:Mimecast:cidrs'),
    ];
    const found = await collectionHealth(history(), tenant, ['Acme', 'Acme:Backup', 'Mimecast'], current, now);
    expect(found.map((h) => `${h.source} ${h.vendor}`)).toEqual(['allowlist Acme']);
    expect(found[0]!.message).toBe('https://feeds.example/acme.txt?… answered HTTP 503.');
  });

  it('names a system-assigned managed identity credwatch, a user-assigned one by its client id', () => {
    expect(monitorOf({ auth: { mode: 'managedIdentity' } } as TenantConfig).appId).toBe('credwatch');
    expect(monitorOf({ auth: { mode: 'managedIdentity', clientId: 'mi-client' } } as TenantConfig).appId).toBe('mi-client');
  });
});
