/**
 * Builders for the records the state tests commit: complete, realistic values with every optional
 * field exercised somewhere, so a field a store forgets to round-trip shows up in a test.
 */
import type { Finding } from '../../src/events.js';
import type { AuditQueryRecord, OutboxEntry, ScanRecord, SignInAggregate, StoredAlert, StoredFinding, WindowCommit } from '../../src/state/types.js';

export const TENANT = 'contoso';
export const STREAM = 'signIns';
/** A fixed instant the record dates hang off. */
export const T0 = new Date('2026-03-02T10:00:00.000Z');
const DAY_MS = 86_400_000;

/** `T0` plus some minutes. */
export function at(minutes: number): Date {
  return new Date(T0.getTime() + minutes * 60_000);
}

/** Seen-id expiry relative to the real clock, which the contract's stores compare against. */
export function expiresIn(days: number): Date {
  return new Date(Date.now() + days * DAY_MS);
}

export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    ruleId: 'CW-SIGNIN-001',
    severity: 'high',
    tenant: TENANT,
    appId: '11111111-1111-1111-1111-111111111111',
    appDisplayName: 'Vendor Backup 🚀',
    credentialKeyId: 'key-1',
    network: 'AS64500',
    occurredAt: at(0),
    eventIds: ['evt-1'],
    summary: 'Vendor certificate signed in from an unknown network',
    ip: '203.0.113.7',
    country: 'NL',
    asn: 64500,
    resource: 'Office 365 Exchange Online',
    success: true,
    allowlist: [{ vendor: 'Vendor', source: 'cidrs', cidr: '198.51.100.0/24', fetchedAt: at(-60), stale: false }],
    details: { nearest: '198.51.100.0/24', distance: 3, known: false, note: null },
    ...overrides,
  };
}

export function storedFinding(findingId: string, overrides: Partial<Omit<StoredFinding, 'finding'>> & { finding?: Partial<Finding> } = {}): StoredFinding {
  return {
    findingId,
    alertId: overrides.alertId ?? 'alert-1',
    suppressed: overrides.suppressed ?? false,
    finding: finding(overrides.finding),
  };
}

export function alert(alertId: string, overrides: Partial<StoredAlert> = {}): StoredAlert {
  return {
    alertId,
    tenant: TENANT,
    ruleId: 'CW-SIGNIN-001',
    severity: 'high',
    appId: '11111111-1111-1111-1111-111111111111',
    appDisplayName: 'Vendor Backup',
    credentialKeyId: undefined,
    network: 'AS64500',
    firstSeen: at(0),
    lastSeen: at(30),
    count: 3,
    successCount: 2,
    failureCount: 1,
    ips: ['203.0.113.7', '2001:db8::1'],
    countries: ['NL'],
    asns: [64500],
    resources: ['Microsoft Graph'],
    allowlist: [{ vendor: 'Vendor', source: 'url:https://vendor.example/ranges', cidr: '198.51.100.0/24', fetchedAt: undefined, stale: true }],
    summary: 'Vendor certificate used from AS64500 (3 sign-ins)',
    eventIds: ['evt-1', 'evt-2', 'evt-3'],
    suppressed: { reason: 'migration window', owner: 'secops', expires: at(7 * 24 * 60) },
    notifiedAt: at(31),
    notifiedCount: 3,
    notifiedSeverity: 'medium',
    notifiedFacts: { ips: ['203.0.113.7'], asns: [64500], resources: [], success: true },
    ...overrides,
  };
}

export function outboxEntry(id: string, overrides: Partial<OutboxEntry> = {}): OutboxEntry {
  return {
    id,
    alertId: 'alert-1',
    tenant: TENANT,
    channel: 'teams',
    payload: JSON.stringify({ alertId: 'alert-1', id }),
    status: 'pending',
    attempts: 0,
    nextAttemptAt: at(0),
    lastError: undefined,
    createdAt: at(0),
    sentAt: undefined,
    ...overrides,
  };
}

export function aggregate(overrides: Partial<SignInAggregate> = {}): SignInAggregate {
  return {
    tenant: TENANT,
    day: '2026-03-02',
    appId: '11111111-1111-1111-1111-111111111111',
    network: 'AS64500',
    allowed: false,
    count: 3,
    successCount: 2,
    failureCount: 1,
    ...overrides,
  };
}

/** A scan of `contoso` that started at `startedAt` and took two minutes, with every source field used somewhere. */
export function scanRecord(startedAt: Date, overrides: Partial<ScanRecord> = {}): ScanRecord {
  const finishedAt = new Date(startedAt.getTime() + 120_000);
  return {
    tenant: TENANT,
    startedAt,
    finishedAt,
    sources: [
      { source: 'signIns', status: 'complete', items: 1250 },
      { source: 'directoryAudits', status: 'partial', errorCode: 'GRAPH_THROTTLED', message: 'stopped after 3 pages', items: 300 },
      { source: 'inventory:servicePrincipals', status: 'complete', items: 42 },
      { source: 'allowlist:Vendor 🚀:url:https://vendor.example/ranges', status: 'stale', errorCode: 'ALLOWLIST_FETCH_FAILED', message: 'HTTP 503' },
      { source: 'inventory:applications', status: 'skipped' },
    ],
    errors: [{ stage: 'directoryAudits', code: 'GRAPH_THROTTLED', message: 'HTTP 429 after 5 retries' }],
    summaryJson: JSON.stringify({ tenant: TENANT, startedAt: startedAt.toISOString(), finishedAt: finishedAt.toISOString(), graphRequests: 17 }),
    ...overrides,
  };
}

/** A commit of nothing for `contoso`/`signIns`; tests fill in what they exercise. */
export function windowCommit(overrides: Partial<WindowCommit> = {}): WindowCommit {
  return {
    tenant: TENANT,
    stream: STREAM,
    watermark: undefined,
    seenIds: [],
    seenExpiresAt: expiresIn(7),
    findings: [],
    alerts: [],
    outbox: [],
    aggregates: [],
    learnedNetworks: [],
    snapshot: undefined,
    ...overrides,
  };
}

/** The ids `evt-<from>` … `evt-<from + count - 1>`. */
export function eventIds(from: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `evt-${from + i}`);
}

/** A blast-radius query intent as stored before Graph is asked. */
export function auditQuery(intentId: string, overrides: Partial<AuditQueryRecord> = {}): AuditQueryRecord {
  return {
    tenant: TENANT,
    intentId,
    appId: '22222222-2222-2222-2222-222222222222',
    ips: ['198.51.100.23', '2001:db8::7'],
    from: at(-120),
    to: at(0),
    displayName: `credwatch blast radius ${intentId}`,
    requestedAt: at(1),
    queryId: undefined,
    state: 'requested',
    updatedAt: at(1),
    lastError: undefined,
    ...overrides,
  };
}
