/**
 * WeeklyReport objects for the HTML and Teams renderer tests, written by hand so these tests do not
 * depend on the report model: a realistic Mimecast-like week, the same week with hostile names in
 * every attacker-reachable field, a first report, and a synthetic 2,000-app tenant with uncapped
 * lists (the renderer must cap them itself).
 */
import type { AlertRow, ConformityRow, CredentialRow, ExposureRow, HealthRow, Metric, WeeklyReport } from '../../src/report/types.js';

export const MIMECAST = 'aaaaaaaa-0000-4000-8000-000000000001';
export const MAILSYNC = 'aaaaaaaa-0000-4000-8000-000000000002';
export const HELPDESK = 'aaaaaaaa-0000-4000-8000-000000000003';
export const BACKUP = 'aaaaaaaa-0000-4000-8000-000000000004';
export const CRM = 'aaaaaaaa-0000-4000-8000-000000000005';

/** Names an attacker picks for a multi-tenant app, to break out of HTML, Markdown or a terminal. */
export const HOSTILE_NAMES = [
  '<img src=x onerror=alert(1)>',
  '"><script>alert(1)</script>',
  "'><svg onload=alert(1)>",
  'Mimecast\u202egnp.exe\u0007\r\nBcc: x@evil.example',
  '[click](https://evil.example) **bold** {{DATE(2026-01-01T00:00:00Z)}}',
  `<a href="https://evil.example">${'A'.repeat(5_000)}</a>`,
] as const;

/** An allowlist feed whose URL carries a token: the report must show its host only. */
export const FEED = 'url:https://feeds.example/mimecast.json?token=FEEDTOKEN';

const DAYS = ['2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27', '2026-11-28', '2026-11-29'];

function metric(key: string, label: string, value: number | null, previous: number | null): Metric {
  return { key, label, value, previous, delta: value !== null && previous !== null ? value - previous : null };
}

function credentialKeyId(n: number): string {
  return `c0ffee00-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

function credential(appId: string, displayName: string, n: number, overrides: Partial<CredentialRow> = {}): CredentialRow {
  return {
    appId,
    displayName,
    keyId: credentialKeyId(n),
    kind: 'certificate',
    holder: 'application',
    endDateTime: '2027-06-30T00:00:00.000Z',
    daysToExpiry: 213,
    flags: [],
    mailboxCapable: true,
    ...overrides,
  };
}

function conformity(appId: string, displayName: string, perDay: ReadonlyArray<readonly [number, number, number]>): ConformityRow {
  return {
    appId,
    displayName,
    days: DAYS.map((day, i) => ({ day, allowed: perDay[i]?.[0] ?? 0, unexpected: perDay[i]?.[1] ?? 0, unchecked: perDay[i]?.[2] ?? 0 })),
  };
}

function alert(overrides: Partial<AlertRow> & Pick<AlertRow, 'alertId' | 'severity' | 'ruleId' | 'title'>): AlertRow {
  return {
    appId: MIMECAST,
    appDisplayName: 'Mimecast Archiver',
    count: 1,
    firstSeen: '2026-11-26T10:00:00.000Z',
    lastSeen: '2026-11-26T10:42:00.000Z',
    suppressed: false,
    delivery: { sent: 2, pending: 0, failed: 0, lastError: null },
    ...overrides,
  };
}

const HEALTH: HealthRow[] = [
  { source: 'inventory', status: 'complete', completeScans: 7, scans: 7, detail: null },
  { source: 'signIns', status: 'complete', completeScans: 7, scans: 7, detail: null },
  { source: 'directoryAudits', status: 'partial', completeScans: 6, scans: 7, detail: 'Throttled (429) on 2026-11-27; retried next scan' },
  { source: 'allowlist:Mimecast', status: 'failed', completeScans: 0, scans: 7, detail: 'url:feeds.example answered 503 all week' },
];

function exposure(appId: string, displayName: string, ownership: string, permissions: string[], credentials: number, parts: ExposureRow['parts']): ExposureRow {
  return { appId, displayName, ownership, mailboxPermissions: permissions, credentials, score: parts.reduce((s, p) => s + p.points, 0), parts };
}

/** A Mimecast-like week for tenant contoso: a vendor certificate used from an unexpected network. */
export function realisticReport(): WeeklyReport {
  return {
    schema: 'credwatch.report/v1',
    tenant: 'contoso.onmicrosoft.com',
    week: '2026-W48',
    from: '2026-11-23T00:00:00.000Z',
    to: '2026-11-30T00:00:00.000Z',
    generatedAt: '2026-11-30T06:00:12.000Z',
    summary: [
      metric('mailboxApps', 'Mailbox-capable apps', 5, 4),
      metric('certificates', 'Certificates', 12, 11),
      metric('secrets', 'Client secrets', 9, 9),
      metric('federated', 'Federated credentials', 1, 2),
      metric('alertsCritical', 'Critical alerts', 1, 0),
      metric('alertsHigh', 'High alerts', 2, 1),
      metric('unexpectedSignIns', 'Sign-ins outside allowlists', 37, 0),
      metric('appsWithoutAllowlist', 'Apps without an allowlist', 3, 4),
      metric('unusedPrivileged', 'Unused privileged credentials', null, null),
    ],
    exposure: [
      exposure(MIMECAST, 'Mimecast Archiver', 'thirdParty', ['full_access_as_app'], 3, [
        { factor: 'mailboxReach', points: 40, reason: 'full_access_as_app on all mailboxes' },
        { factor: 'credentialType', points: 10, reason: 'certificate on service principal' },
        { factor: 'thirdParty', points: 15, reason: 'vendor-managed key' },
        { factor: 'unexpectedSignIns', points: 25, reason: '37 sign-ins from AS64500' },
      ]),
      exposure(MAILSYNC, 'Contoso Mail Sync', 'own', ['Mail.ReadWrite', 'Mail.Send'], 2, [
        { factor: 'mailboxReach', points: 40, reason: 'Mail.ReadWrite on all mailboxes' },
        { factor: 'credentialType', points: 20, reason: 'client secret' },
        { factor: 'hygiene', points: 5, reason: 'secret expires in 12 days' },
        { factor: 'thirdParty', points: 0, reason: 'registered in this tenant' },
      ]),
      exposure(HELPDESK, 'Zendesk Mail Connector', 'thirdParty', ['Mail.Read'], 1, [
        { factor: 'mailboxReach', points: 30, reason: 'Mail.Read on all mailboxes' },
        { factor: 'thirdParty', points: 15, reason: 'multi-tenant vendor app' },
      ]),
      exposure(BACKUP, 'Veeam Backup for M365', 'thirdParty', ['full_access_as_app', 'Exchange.ManageAsApp'], 2, [
        { factor: 'mailboxReach', points: 40, reason: 'full_access_as_app on all mailboxes' },
        { factor: 'credentialType', points: 10, reason: 'certificate' },
        { factor: 'thirdParty', points: 15, reason: 'a vendor holds the credential' },
        { factor: 'unused', points: 5, reason: 'no sign-ins this week' },
      ]),
      exposure(CRM, 'Dynamics Mail Tracking', 'microsoft', ['Mail.ReadBasic.All'], 1, [{ factor: 'mailboxReach', points: 20, reason: 'Mail.ReadBasic.All' }]),
    ],
    hygiene: {
      expiringSoon: [
        credential(MAILSYNC, 'Contoso Mail Sync', 1, { kind: 'secret', endDateTime: '2026-12-12T00:00:00.000Z', daysToExpiry: 12, flags: ['expiringSoon'] }),
      ],
      expired: [credential(HELPDESK, 'Zendesk Mail Connector', 2, { endDateTime: '2026-10-01T00:00:00.000Z', daysToExpiry: -60, flags: ['expired'] })],
      longLived: [credential(BACKUP, 'Veeam Backup for M365', 3, { endDateTime: '2036-01-01T00:00:00.000Z', daysToExpiry: 3319, flags: ['longLived'] })],
      onServicePrincipal: [credential(MIMECAST, 'Mimecast Archiver', 4, { holder: 'servicePrincipal', flags: ['onServicePrincipal', 'addedThisWeek'] })],
      secretsOnMailboxApps: [
        credential(MAILSYNC, 'Contoso Mail Sync', 1, { kind: 'secret', endDateTime: '2026-12-12T00:00:00.000Z', daysToExpiry: 12, flags: ['secret'] }),
      ],
      shared: [credential(MIMECAST, 'Mimecast Archiver', 5, { flags: ['shared'] }), credential(BACKUP, 'Veeam Backup for M365', 5, { flags: ['shared'] })],
      weak: [credential(CRM, 'Dynamics Mail Tracking', 6, { flags: ['rsa1024', 'sha1'] })],
      unusedPrivileged: null,
    },
    conformity: {
      apps: [
        conformity(MIMECAST, 'Mimecast Archiver', [
          [410, 0, 0],
          [402, 0, 0],
          [398, 0, 0],
          [377, 29, 0],
          [380, 8, 0],
          [120, 0, 0],
          [118, 0, 0],
        ]),
        conformity(MAILSYNC, 'Contoso Mail Sync', [
          [96, 0, 0],
          [88, 0, 0],
          [91, 0, 0],
          [90, 0, 0],
          [87, 0, 0],
          [10, 0, 0],
          [12, 0, 0],
        ]),
        conformity(HELPDESK, 'Zendesk Mail Connector', [
          [0, 0, 55],
          [0, 0, 61],
          [0, 0, 58],
          [0, 0, 49],
          [0, 0, 52],
          [0, 0, 5],
          [0, 0, 4],
        ]),
      ],
      topUnexpectedNetworks: [
        { network: 'AS64500 (203.0.113.0/24)', countries: ['NL'], count: 29, apps: ['Mimecast Archiver'] },
        { network: 'AS64511 (198.18.7.0/24)', countries: ['RO', 'MD'], count: 8, apps: ['Mimecast Archiver'] },
      ],
    },
    alerts: [
      alert({
        alertId: 'alert-0001',
        severity: 'critical',
        ruleId: 'signin-cert-outside-allowlist',
        title: "Vendor certificate used outside the vendor's networks",
        count: 37,
      }),
      alert({
        alertId: 'alert-0002',
        severity: 'high',
        ruleId: 'credential-added-to-service-principal',
        title: 'Credential added to a service principal',
        firstSeen: '2026-11-25T22:14:00.000Z',
        lastSeen: '2026-11-25T22:14:00.000Z',
        delivery: { sent: 1, pending: 0, failed: 1, lastError: 'Teams workflow answered 403 Forbidden' },
      }),
      alert({
        alertId: 'alert-0003',
        severity: 'high',
        ruleId: 'mailbox-grant-added',
        title: 'Mailbox permission granted',
        appId: MAILSYNC,
        appDisplayName: 'Contoso Mail Sync',
        delivery: { sent: 0, pending: 1, failed: 0, lastError: null },
      }),
      alert({
        alertId: 'alert-0004',
        severity: 'low',
        ruleId: 'secret-expiring',
        title: 'Client secret expires soon',
        appId: MAILSYNC,
        appDisplayName: 'Contoso Mail Sync',
        suppressed: true,
      }),
    ],
    changes: {
      since: '2026-W47',
      notes: [],
      newCredentials: [credential(MIMECAST, 'Mimecast Archiver', 4, { holder: 'servicePrincipal', flags: ['onServicePrincipal'] })],
      removedCredentials: [credential(HELPDESK, 'Zendesk Mail Connector', 9, { kind: 'secret', endDateTime: '2026-11-20T00:00:00.000Z', daysToExpiry: -10 })],
      newGrants: [{ appId: MAILSYNC, displayName: 'Contoso Mail Sync', permission: 'Mail.Send' }],
      newApps: [{ appId: CRM, displayName: 'Dynamics Mail Tracking' }],
    },
    appsWithoutAllowlist: [
      { appId: HELPDESK, displayName: 'Zendesk Mail Connector', ownership: 'thirdParty', mailboxPermissions: ['Mail.Read'] },
      { appId: BACKUP, displayName: 'Veeam Backup for M365', ownership: 'thirdParty', mailboxPermissions: ['full_access_as_app', 'Exchange.ManageAsApp'] },
      { appId: CRM, displayName: 'Dynamics Mail Tracking', ownership: 'own', mailboxPermissions: ['Mail.ReadBasic.All'] },
    ],
    changesStatus: 'compared',
    staleAllowlists: [{ vendor: 'Mimecast', source: FEED, status: 'stale', detail: 'Last refreshed 2026-11-20; fetch failed: 503' }],
    health: HEALTH,
    signInTime: { share: 1, read: [{ from: '2026-11-23T00:00:00.000Z', to: '2026-11-30T00:00:00.000Z' }] },
    recommendations: [
      {
        priority: 'now',
        section: 'alerts',
        text: "Investigate 1 critical alert now: a mailbox-capable credential may be in someone else's hands. Follow each alert's runbook.",
        refersTo: ['alert-0001'],
      },
      {
        priority: 'now',
        section: 'alerts',
        text: '1 alert could not be delivered to a channel: fix the channel (see the delivery error) so the next alert reaches someone.',
        refersTo: ['alert-0002'],
      },
      {
        priority: 'soon',
        section: 'appsWithoutAllowlist',
        text: 'Configure an allowlist for 3 mailbox-capable vendor apps: ask each vendor for the networks its service uses.',
        refersTo: [HELPDESK, BACKUP, CRM],
      },
      {
        priority: 'soon',
        section: 'staleAllowlists',
        text: 'Repair 1 allowlist source that is stale or unreadable.',
        refersTo: [`allowlist:Mimecast:${FEED}`],
      },
      {
        priority: 'soon',
        section: 'hygiene',
        text: 'Replace 1 client secret on mailbox-capable apps with certificates or federated credentials.',
        refersTo: [credentialKeyId(1)],
      },
      { priority: 'soon', section: 'health', text: 'Check why directoryAudits was read only in part this week.', refersTo: ['directoryAudits'] },
    ],
    findings: [],
    inventory: null,
  };
}

/** The realistic week with `name` as every app's display name and in every free-text field. */
export function hostileReport(name: string): WeeklyReport {
  const r = realisticReport();
  const rename = <T extends { displayName: string }>(x: T): T => ({ ...x, displayName: name });
  const renameAll = (list: CredentialRow[]) => list.map(rename);
  return {
    ...r,
    tenant: name,
    week: name,
    summary: r.summary.map((m) => ({ ...m, label: name })),
    exposure: r.exposure.map((e) => ({ ...rename(e), ownership: name, mailboxPermissions: [name], parts: e.parts.map((p) => ({ ...p, reason: name })) })),
    hygiene: {
      expiringSoon: renameAll(r.hygiene.expiringSoon).map((c) => ({ ...c, keyId: name, flags: [name], endDateTime: name })),
      expired: renameAll(r.hygiene.expired),
      longLived: renameAll(r.hygiene.longLived),
      onServicePrincipal: renameAll(r.hygiene.onServicePrincipal),
      secretsOnMailboxApps: renameAll(r.hygiene.secretsOnMailboxApps),
      shared: renameAll(r.hygiene.shared),
      weak: renameAll(r.hygiene.weak),
      unusedPrivileged: [credential(name, name, 7)],
    },
    conformity: {
      apps: r.conformity.apps.map((a) => ({ ...rename(a), appId: name, days: a.days.map((d, i) => (i === 0 ? { ...d, day: name } : d)) })),
      topUnexpectedNetworks: r.conformity.topUnexpectedNetworks.map((n) => ({ ...n, network: name, countries: [name], apps: [name] })),
    },
    alerts: r.alerts.map((a) => ({
      ...a,
      appDisplayName: name,
      title: name,
      ruleId: name,
      alertId: name,
      firstSeen: name,
      delivery: { ...a.delivery, failed: 1, lastError: name },
    })),
    changes: r.changes && {
      ...r.changes,
      since: name,
      notes: [name],
      newGrants: [{ appId: name, displayName: name, permission: name }],
      newApps: [{ appId: name, displayName: name }],
    },
    appsWithoutAllowlist: r.appsWithoutAllowlist.map((a) => ({ ...rename(a), mailboxPermissions: [name] })),
    staleAllowlists: [{ vendor: name, source: name, status: name, detail: name }],
    health: r.health.map((h) => ({ ...h, source: name, detail: name })),
    recommendations: r.recommendations.map((x) => ({ ...x, text: name, refersTo: [name, 'unknown-id'] })),
    findings: [],
  };
}

/** The first report ever: no earlier week, so no previous values, deltas or changes. */
export function firstReport(): WeeklyReport {
  const r = realisticReport();
  return { ...r, summary: r.summary.map((m) => ({ ...m, previous: null, delta: null })), changes: null, changesStatus: 'firstReport' };
}

/**
 * A 2,000-app tenant with nothing capped and 300-character names: every list is as long as the
 * tenant, so only the renderer's own caps keep the email small.
 */
export function largeReport(apps = 2_000): WeeklyReport {
  const r = realisticReport();
  const ids = Array.from({ length: apps }, (_, i) => `bbbbbbbb-0000-4000-8000-${String(i).padStart(12, '0')}`);
  const name = (i: number) => `Vendor app ${i} ${'"<&>'.repeat(1_250)}`;
  const creds = ids.map((id, i) => credential(id, name(i), i, { flags: ['expiringSoon', 'secret', 'longLived', 'shared'] }));
  return {
    ...r,
    exposure: ids.map((id, i) => ({ ...r.exposure[0]!, appId: id, displayName: name(i), score: 100 - (i % 100) })),
    hygiene: {
      expiringSoon: creds,
      expired: creds,
      longLived: creds,
      onServicePrincipal: creds,
      secretsOnMailboxApps: creds,
      shared: creds,
      weak: creds,
      unusedPrivileged: creds,
    },
    conformity: {
      apps: ids.map((id, i) =>
        conformity(
          id,
          name(i),
          DAYS.map((_, d) => [100 + d, i % 7 === d ? 3 : 0, 5] as const),
        ),
      ),
      topUnexpectedNetworks: ids.map((_, i) => ({
        network: `AS${64_500 + i}`,
        countries: ['NL', 'DE', 'US'],
        count: apps - i,
        apps: ids.slice(0, 10).map((__, j) => name(j)),
      })),
    },
    alerts: ids.map((id, i) =>
      alert({
        alertId: `alert-${i}`,
        severity: i % 10 === 0 ? 'critical' : 'high',
        ruleId: 'signin-cert-outside-allowlist',
        title: `Vendor certificate used outside the vendor's networks ${'y'.repeat(200)}`,
        appId: id,
        appDisplayName: name(i),
      }),
    ),
    changes: {
      since: '2026-W47',
      notes: ['x'.repeat(1_000)],
      newCredentials: creds,
      removedCredentials: creds,
      newGrants: ids.map((id, i) => ({ appId: id, displayName: name(i), permission: 'full_access_as_app' })),
      newApps: ids.map((id, i) => ({ appId: id, displayName: name(i) })),
    },
    appsWithoutAllowlist: ids.map((id, i) => ({
      appId: id,
      displayName: name(i),
      ownership: 'thirdParty',
      mailboxPermissions: ['full_access_as_app', 'Mail.Read', 'Mail.Send'],
    })),
    staleAllowlists: ids
      .slice(0, 200)
      .map((_, i) => ({ vendor: `Vendor ${i}`, source: `file:/etc/credwatch/ranges-${i}.json`, status: 'stale', detail: 'z'.repeat(400) })),
    recommendations: ids.map((_id, i) => ({
      priority: 'soon' as const,
      section: 'exposure' as const,
      text: `Review app ${i}: ${'w'.repeat(500)}`,
      refersTo: ids.slice(i, i + 50),
    })),
  };
}
