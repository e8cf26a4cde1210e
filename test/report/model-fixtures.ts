/**
 * A known tenant state for week 2026-W48 (Monday 23 November to Monday 30 November 2026), the
 * numbers the model tests assert exactly. Three mailbox-capable apps: the Mimecast-like vendor app
 * (allowlisted, signed in from two networks outside it), the tenant's own archiver with a secret,
 * and an unlisted vendor app with an expired weak certificate on its service principal.
 */
import type { VendorConfig } from '../../src/config/types.js';
import type { AppCredential, Finding, Inventory, InventoryApp, MailboxPermission } from '../../src/events.js';
import { DEFAULT_POSTURE } from '../../src/inventory/assess.js';
import type { ReportInput } from '../../src/report/model.js';
import type { ReportScan } from '../../src/report/health.js';
import type { OutboxEntry, SignInAggregate, StoredAlert, StoredFinding } from '../../src/state/types.js';

export const TENANT = 'contoso';
export const WEEK = '2026-W48';
export const FROM = new Date('2026-11-23T00:00:00Z');
export const TO = new Date('2026-11-30T00:00:00Z');
export const GENERATED_AT = new Date('2026-11-30T06:00:00Z');
const DAY = 86_400_000;
const days = (n: number) => new Date(GENERATED_AT.getTime() + n * DAY);

export const MIMECAST = 'aaaaaaaa-0000-4000-8000-000000000001';
export const ARCHIVER = 'aaaaaaaa-0000-4000-8000-000000000002';
export const SHADY = 'aaaaaaaa-0000-4000-8000-000000000003';
export const HR_TOOL = 'aaaaaaaa-0000-4000-8000-000000000004';
export const EXPLORER = 'aaaaaaaa-0000-4000-8000-000000000005';
export const KEY = { secret: 'key-s1', archiverCert: 'key-c1', shadyCert: 'key-c2', hrCert: 'key-c3', hrFederated: 'key-f1', old: 'key-old' } as const;
const SHARED_THUMBPRINT = 'AB12CD34EF56AB12CD34EF56AB12CD34EF56AB12';

export const FULL_ACCESS: MailboxPermission = {
  permission: 'full_access_as_app',
  resource: 'exchange',
  api: 'ews',
  type: 'application',
  reach: 'allMailboxes',
  grantedAt: undefined,
};
export const MAIL_READ_APP: MailboxPermission = {
  permission: 'Mail.Read',
  resource: 'graph',
  api: 'graph',
  type: 'application',
  reach: 'allMailboxes',
  grantedAt: undefined,
};
export const MAIL_READ_ALL_USERS: MailboxPermission = {
  permission: 'Mail.Read',
  resource: 'graph',
  api: 'graph',
  type: 'delegated',
  reach: 'allUsers',
  grantedAt: undefined,
};

export function cred(keyId: string, over: Partial<AppCredential> = {}): AppCredential {
  return {
    keyId,
    kind: 'certificate',
    holder: 'application',
    displayName: undefined,
    startDateTime: days(-100),
    endDateTime: days(265),
    thumbprintSha1: undefined,
    hint: undefined,
    usage: 'Verify',
    federated: undefined,
    certificate: undefined,
    ...over,
  };
}

export function app(appId: string, displayName: string, over: Partial<InventoryApp> = {}): InventoryApp {
  return {
    appId,
    displayName,
    servicePrincipalId: `sp-${appId}`,
    applicationObjectId: undefined,
    appOwnerOrganizationId: 'contoso-tenant',
    ownership: 'own',
    servicePrincipalType: 'Application',
    accountEnabled: true,
    signInAudience: 'AzureADMyOrg',
    createdDateTime: days(-900),
    credentials: [],
    appRoleAssignments: [],
    delegatedGrants: [],
    mailboxPermissions: [],
    ...over,
  };
}

export const CREDENTIALS = {
  secret: cred(KEY.secret, { kind: 'secret', startDateTime: days(-400), endDateTime: days(10), usage: undefined }),
  archiverCert: cred(KEY.archiverCert, { thumbprintSha1: SHARED_THUMBPRINT }),
  shadyCert: cred(KEY.shadyCert, {
    holder: 'servicePrincipal',
    startDateTime: days(-400),
    endDateTime: days(-5),
    certificate: {
      subject: 'CN=shady',
      issuer: 'CN=shady',
      selfSigned: true,
      keyAlgorithm: 'rsa',
      keySizeInBits: 1024,
      signatureAlgorithm: 'sha256WithRSAEncryption',
      notBefore: days(-400),
      notAfter: days(-5),
      thumbprintSha1: 'FF',
      thumbprintSha256: 'FF',
    },
  }),
  hrCert: cred(KEY.hrCert, { thumbprintSha1: SHARED_THUMBPRINT, startDateTime: days(-30), endDateTime: days(300) }),
  hrFederated: cred(KEY.hrFederated, {
    kind: 'federated',
    startDateTime: undefined,
    endDateTime: undefined,
    usage: undefined,
    federated: {
      issuer: 'https://token.actions.githubusercontent.com',
      subject: 'repo:contoso/hr:ref:refs/heads/main',
      audiences: ['api://AzureADTokenExchange'],
    },
  }),
};

export function inventory(apps: InventoryApp[] = currentApps(), sources: Inventory['sources'] = completeSources()): Inventory {
  return { tenantId: 'tenant-guid', collectedAt: new Date('2026-11-30T05:00:00Z'), apps, sources };
}

export function completeSources(): Inventory['sources'] {
  return [
    { source: 'servicePrincipals', status: 'complete', items: 5 },
    { source: 'applications', status: 'complete', items: 3 },
    { source: 'appRoleAssignedTo:Office 365 Exchange Online', status: 'complete', items: 1 },
    { source: 'oauth2PermissionGrants', status: 'complete', items: 1 },
  ];
}

export function currentApps(): InventoryApp[] {
  return [
    app(MIMECAST, 'Mimecast Services', { ownership: 'thirdParty', appOwnerOrganizationId: 'mimecast-tenant', mailboxPermissions: [FULL_ACCESS] }),
    app(ARCHIVER, 'Contoso Archiver', { mailboxPermissions: [MAIL_READ_APP], credentials: [CREDENTIALS.secret, CREDENTIALS.archiverCert] }),
    app(SHADY, 'Shady Vendor', {
      ownership: 'thirdParty',
      appOwnerOrganizationId: 'shady-tenant',
      mailboxPermissions: [MAIL_READ_ALL_USERS],
      credentials: [CREDENTIALS.shadyCert],
    }),
    app(HR_TOOL, 'HR Tool', { credentials: [CREDENTIALS.hrFederated, CREDENTIALS.hrCert] }),
    app(EXPLORER, 'Graph Explorer', { ownership: 'microsoft', appOwnerOrganizationId: 'microsoft-tenant' }),
  ];
}

export const VENDORS: VendorConfig[] = [
  { name: 'Mimecast', appIds: [MIMECAST], ownerTenantIds: [], allowedRanges: [{ type: 'cidrs', cidrs: ['205.139.110.0/24'] }] },
];

export function aggregate(day: string, appId: string, network: string, allowed: boolean | null, count: number): SignInAggregate {
  return { tenant: TENANT, day, appId, network, allowed, count, successCount: count, failureCount: 0 };
}

export function aggregates(): SignInAggregate[] {
  return [
    aggregate('2026-11-24', MIMECAST, 'AS64500', true, 10),
    aggregate('2026-11-25', MIMECAST, 'AS64666', false, 3),
    aggregate('2026-11-26', MIMECAST, '203.0.113.0/24', false, 2),
    aggregate('2026-11-25', SHADY, 'AS64777', null, 4),
    // The next week: must not count.
    aggregate('2026-11-30', MIMECAST, 'AS64999', false, 100),
  ];
}

export function finding(findingId: string, alertId: string, over: Partial<Finding>): StoredFinding {
  const f: Finding = {
    ruleId: 'signin-cert-outside-allowlist',
    severity: 'critical',
    tenant: TENANT,
    appId: MIMECAST,
    appDisplayName: 'Mimecast Services',
    credentialKeyId: undefined,
    network: 'AS64666',
    occurredAt: new Date('2026-11-25T10:00:00Z'),
    eventIds: [findingId],
    summary: 'Vendor certificate used outside the allowlist',
    ip: '198.51.100.7',
    country: 'NL',
    asn: 64666,
    resource: 'Office 365 Exchange Online',
    success: true,
    allowlist: [],
    details: {},
    ...over,
  };
  return { findingId, alertId, finding: f, suppressed: false };
}

export function findings(): StoredFinding[] {
  return [
    finding('f1', 'A1', {}),
    finding('f2', 'A1', { occurredAt: new Date('2026-11-25T11:00:00Z'), country: 'DE' }),
    finding('f3', 'A2', {
      ruleId: 'posture-mailbox-app-without-allowlist',
      severity: 'medium',
      appId: SHADY,
      appDisplayName: 'Shady Vendor',
      network: undefined,
      occurredAt: new Date('2026-11-24T00:00:00Z'),
      country: undefined,
      ip: undefined,
      asn: undefined,
      success: undefined,
    }),
    finding('f4', 'A9', { occurredAt: new Date('2026-11-22T23:59:59Z') }),
  ];
}

export function alert(alertId: string, over: Partial<StoredAlert>): StoredAlert {
  return {
    alertId,
    tenant: TENANT,
    ruleId: 'signin-cert-outside-allowlist',
    severity: 'critical',
    appId: MIMECAST,
    appDisplayName: 'Mimecast Services',
    credentialKeyId: undefined,
    network: 'AS64666',
    firstSeen: new Date('2026-11-25T10:00:00Z'),
    lastSeen: new Date('2026-11-25T11:00:00Z'),
    count: 2,
    successCount: 2,
    failureCount: 0,
    ips: [],
    countries: [],
    asns: [],
    resources: [],
    allowlist: [],
    summary: 's',
    eventIds: [],
    suppressed: undefined,
    notifiedAt: undefined,
    notifiedCount: 0,
    notifiedSeverity: undefined,
    ...over,
  };
}

export function alerts(): StoredAlert[] {
  return [
    alert('A1', {}),
    alert('A2', {
      ruleId: 'posture-mailbox-app-without-allowlist',
      severity: 'medium',
      appId: SHADY,
      appDisplayName: 'Shady Vendor',
      network: undefined,
      firstSeen: new Date('2026-11-24T00:00:00Z'),
      lastSeen: new Date('2026-11-24T00:00:00Z'),
      count: 1,
    }),
    alert('A3', {
      ruleId: 'signin-new-network',
      severity: 'high',
      firstSeen: new Date('2026-11-24T08:00:00Z'),
      lastSeen: new Date('2026-11-24T09:00:00Z'),
      suppressed: { reason: 'vendor migration', owner: 'secops', expires: new Date('2026-12-31T00:00:00Z') },
    }),
    alert('A4', {
      ruleId: 'posture-credential-expiring',
      severity: 'low',
      appId: ARCHIVER,
      appDisplayName: 'Contoso Archiver',
      network: undefined,
      firstSeen: new Date('2026-11-10T00:00:00Z'),
      lastSeen: new Date('2026-11-24T00:00:00Z'),
    }),
  ];
}

export function outboxEntry(id: string, alertId: string, over: Partial<OutboxEntry>): OutboxEntry {
  return {
    id,
    alertId,
    tenant: TENANT,
    channel: 'teams',
    payload: '{}',
    status: 'sent',
    attempts: 1,
    nextAttemptAt: new Date('2026-11-25T10:01:00Z'),
    lastError: undefined,
    createdAt: new Date('2026-11-25T10:00:00Z'),
    sentAt: new Date('2026-11-25T10:00:05Z'),
    ...over,
  };
}

export function outbox(): OutboxEntry[] {
  return [
    outboxEntry('A1:teams:0', 'A1', {}),
    outboxEntry('A1:email:0', 'A1', {
      channel: 'email',
      status: 'failed',
      lastError: 'CHANNEL_REJECTED: mailbox not found',
      createdAt: new Date('2026-11-25T10:01:00Z'),
      sentAt: undefined,
    }),
    outboxEntry('A1:file:0', 'A1', {
      channel: 'file',
      status: 'pending',
      lastError: 'CHANNEL_UNAVAILABLE: timeout',
      createdAt: new Date('2026-11-25T10:02:00Z'),
      sentAt: undefined,
    }),
  ];
}

/** The allowlist feed URL carries a token, which must never reach the report. */
export const FEED_SOURCE = 'allowlist:Mimecast:url:https://feeds.example/r.txt?token=FEEDSECRET';

export function scan(startedAt: string, sources: ReportScan['sources']): ReportScan {
  const at = new Date(startedAt);
  return { startedAt: at, finishedAt: new Date(at.getTime() + 60_000), sources, errors: [] };
}

const inventorySources = [
  { source: 'inventory:servicePrincipals', status: 'complete' },
  { source: 'inventory:applications', status: 'complete' },
];

export function scans(): ReportScan[] {
  return [
    scan('2026-11-24T06:00:00Z', [
      { source: 'signIns', status: 'complete' },
      { source: 'directoryAudits', status: 'complete' },
      ...inventorySources,
      { source: 'allowlist:Mimecast:cidrs', status: 'complete' },
      { source: FEED_SOURCE, status: 'stale', message: 'using the copy fetched 2026-11-01' },
    ]),
    scan('2026-11-25T06:00:00Z', [
      { source: 'signIns', status: 'failed', errorCode: 'GRAPH_THROTTLED', message: 'throttled' },
      { source: 'directoryAudits', status: 'complete' },
      ...inventorySources,
      { source: 'allowlist:Mimecast:cidrs', status: 'complete' },
      { source: FEED_SOURCE, status: 'stale' },
    ]),
    scan('2026-11-26T06:00:00Z', [
      { source: 'inventory', status: 'failed', errorCode: 'GRAPH_UNAVAILABLE', message: '503' },
      { source: 'allowlist:Mimecast:cidrs', status: 'complete' },
      { source: FEED_SOURCE, status: 'failed', errorCode: 'ALLOWLIST_SOURCE_FAILED', message: 'GET https://feeds.example/r.txt?token=FEEDSECRET answered 500' },
      { source: 'directoryAudits', status: 'complete' },
      { source: 'signIns', status: 'complete' },
    ]),
    // The next week's scan: must not count.
    scan('2026-11-30T06:00:00Z', [{ source: 'signIns', status: 'failed', errorCode: 'GRAPH_LICENSE_MISSING' }]),
  ];
}

/**
 * The sign-in time read for good: everything up to the last reading scan of the week (26 Nov,
 * 06:00) less its settle and overlap, so a little under half of the week (sign-ins read partly).
 */
export const SIGNIN_COVERAGE = [{ from: new Date(0), to: new Date('2026-11-26T03:55:00Z') }];

const TITLES: Record<string, string> = { 'signin-cert-outside-allowlist': "Vendor certificate used outside the vendor's networks" };

/** The whole known state as model input; override parts per test. */
export function reportInput(over: Partial<ReportInput> = {}): ReportInput {
  return {
    tenant: TENANT,
    week: WEEK,
    from: FROM,
    to: TO,
    generatedAt: GENERATED_AT,
    inventory: inventory(),
    previous: undefined,
    findings: findings(),
    alerts: alerts(),
    outbox: outbox(),
    aggregates: aggregates(),
    scans: scans(),
    signInCoverage: SIGNIN_COVERAGE,
    backfillInDays: 7,
    posture: DEFAULT_POSTURE,
    ruleTitle: (id) => TITLES[id] ?? id,
    vendors: VENDORS,
    ...over,
  };
}
