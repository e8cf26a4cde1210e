/**
 * Alerts keyed on their subject (src/alerts/subject.ts): a wider permission granted to an app with
 * an open grant alert, or a second credential added without a key id, opens an alert of its own and
 * is notified; the same subject again folds into its alert and is not news; alerts stored before
 * subjects were keyed keep their ids and are continued, never re-sent, after the upgrade.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { alertIdFor, candidateAlertIds, continues, findingIdFor, mergeIntoAlert } from '../../src/alerts/group.js';
import { planNotifications } from '../../src/alerts/outbox.js';
import { ALERT_SUBJECT_DETAIL } from '../../src/alerts/subject.js';
import type { ChannelConfig } from '../../src/config/types.js';
import type { Finding } from '../../src/events.js';
import type { OutboxEntry, StoredAlert } from '../../src/state/types.js';

const DAY = 86_400_000;
const t = (minutes: number) => new Date(Date.parse('2026-11-26T10:00:00Z') + minutes * 60_000);
const channels: ChannelConfig[] = [{ type: 'stdout', name: 'soc', minSeverity: 'high', digestThreshold: 10 }];
const rule = { id: 'mailbox-permission-granted', title: 't', description: 'Detects', mitre: [], runbook: [], falsePositives: [] };

/** A grant finding as the audit-log rule builds it, one permission each. */
const grant = (minutes: number, permission: string, over: Partial<Finding> = {}): Finding => ({
  ruleId: 'mailbox-permission-granted',
  severity: 'high',
  tenant: 'contoso',
  appId: 'poller',
  appDisplayName: 'IMAP Poller',
  credentialKeyId: undefined,
  network: undefined,
  occurredAt: t(minutes),
  eventIds: [`audit-${permission}-${minutes}`],
  summary: `${permission} (IMAP) granted to "IMAP Poller" on Office 365 Exchange Online by admin`,
  ip: undefined,
  country: undefined,
  asn: undefined,
  resource: 'Office 365 Exchange Online',
  success: undefined,
  allowlist: [],
  details: { [ALERT_SUBJECT_DETAIL]: permission, permission },
  ...over,
});

/** A credential-added finding: with a key id, or (unparsed key list) keyed on its audit row. */
const added = (minutes: number, keyId: string | undefined, row: string): Finding => ({
  ...grant(minutes, 'x'),
  ruleId: 'credential-added',
  credentialKeyId: keyId,
  eventIds: [row],
  summary: 'Secret added to the service principal of "Vendor" by admin',
  resource: undefined,
  details: keyId ? { holder: 'servicePrincipal' } : { [ALERT_SUBJECT_DETAIL]: `audit:${row}`, holder: 'servicePrincipal' },
});

/** A store of alerts and one scan committing findings into it the way src/scan/commit.ts does. */
function tenant(renotifyAfterInMs = DAY) {
  const alerts = new Map<string, StoredAlert>();
  const scan = (now: Date, findings: Finding[]): OutboxEntry[] => {
    const touched = new Set<string>();
    for (const f of findings) {
      const ids = candidateAlertIds(f, DAY);
      const chosen = ids.find((id) => alerts.has(id) && continues(alerts.get(id)!, f, DAY)) ?? ids[0]!;
      alerts.set(chosen, mergeIntoAlert(chosen, alerts.get(chosen), [f]));
      touched.add(chosen);
    }
    const entries: OutboxEntry[] = [];
    for (const id of touched) {
      const planned = planNotifications(alerts.get(id)!, channels, { now, renotifyAfterInMs, rule: () => rule });
      alerts.set(id, planned.alert);
      entries.push(...planned.entries);
    }
    return entries;
  };
  return { alerts, scan };
}

const summaries = (entries: OutboxEntry[], alerts: Map<string, StoredAlert>) => entries.map((e) => alerts.get(e.alertId)!.summary);

describe('a wider permission for the same app in one window', () => {
  it('IMAP.AccessAsApp then full_access_as_app 15 minutes later: a second notification naming full_access_as_app', () => {
    const { alerts, scan } = tenant();
    expect(summaries(scan(t(5), [grant(0, 'IMAP.AccessAsApp')]), alerts)).toEqual([expect.stringMatching(/^IMAP\.AccessAsApp /)]);
    const next = scan(t(20), [grant(15, 'full_access_as_app')]);
    expect(next).toHaveLength(1);
    expect(summaries(next, alerts)).toEqual([expect.stringMatching(/^full_access_as_app /)]);
    expect(alerts.size).toBe(2);
  });

  it('with repeats disabled too (renotifyAfterInHours: 0)', () => {
    const { alerts, scan } = tenant(0);
    scan(t(5), [grant(0, 'IMAP.AccessAsApp')]);
    expect(summaries(scan(t(20), [grant(15, 'Mail.Read')]), alerts)).toEqual([expect.stringMatching(/^Mail\.Read /)]);
  });

  it('the same permission again (a re-grant, or the inventory diff seeing it) folds into its alert and sends nothing new', () => {
    const { alerts, scan } = tenant();
    scan(t(5), [grant(0, 'IMAP.AccessAsApp')]);
    const diff = grant(30, 'imap.accessasapp', { ruleId: 'mailbox-permission-granted-diff', eventIds: ['inventory:poller:application:IMAP.AccessAsApp'] });
    expect(scan(t(35), [grant(20, 'IMAP.AccessAsApp'), diff])).toEqual([]);
    expect([...alerts.values()].map((a) => a.count)).toEqual([3]);
  });

  it('two permissions added by one row are two findings with ids of their own', () => {
    const row = ['audit-1'];
    const imap = grant(0, 'IMAP.AccessAsUser.All', { eventIds: row });
    const smtp = grant(0, 'SMTP.Send', { eventIds: row });
    expect(findingIdFor(imap)).not.toBe(findingIdFor(smtp));
    expect(findingIdFor(imap)).toBe(findingIdFor({ ...imap }));
  });
});

describe('credential-added gaining a second credential in the window', () => {
  it('a second key id is notified', () => {
    const { alerts, scan } = tenant();
    expect(scan(t(5), [added(0, 'key-1', 'row-1')])).toHaveLength(1);
    expect(scan(t(20), [added(15, 'key-2', 'row-2')])).toHaveLength(1);
    expect(alerts.size).toBe(2);
  });

  it('a second add whose key list could not be parsed is notified; the same row read again is not', () => {
    const { alerts, scan } = tenant();
    expect(scan(t(5), [added(0, undefined, 'row-1')])).toHaveLength(1);
    expect(scan(t(20), [added(15, undefined, 'row-2')])).toHaveLength(1);
    expect(scan(t(40), [added(0, undefined, 'row-1')])).toEqual([]);
    expect(alerts.size).toBe(2);
  });
});

describe('alerts stored before subjects were keyed', () => {
  /** The alert id as credwatch computed it before subjects: no subject part in the key. */
  const legacyId = (f: Finding) =>
    createHash('sha256')
      .update(
        [f.tenant, 'mailbox-permission-granted', f.appId, f.credentialKeyId ?? '', f.network ?? '', String(Math.floor(f.occurredAt.getTime() / DAY))].join(
          '\u001f',
        ),
      )
      .digest('hex')
      .slice(0, 32);

  /** An IMAP grant alert as an older credwatch stored and notified it: no notified facts kept. */
  function upgraded(appDisplayName = 'IMAP Poller') {
    const { alerts, scan } = tenant();
    const old = grant(0, 'IMAP.AccessAsApp', {
      appDisplayName,
      summary: `IMAP.AccessAsApp (IMAP) granted to "${appDisplayName}" on Office 365 Exchange Online by admin`,
      details: {},
    });
    const id = legacyId(old);
    alerts.set(id, { ...mergeIntoAlert(id, undefined, [old]), notifiedAt: t(5), notifiedCount: 1 });
    return { alerts, scan, id };
  }

  it('keep the ids of alerts without a subject: the key hashes what it did', () => {
    const signIn = { ...grant(0, 'x'), ruleId: 'signin-cert-outside-allowlist', credentialKeyId: 'k', network: 'AS64512', details: {} };
    const expected = createHash('sha256')
      .update(['contoso', 'signin-cert-outside-allowlist', 'poller', 'k', 'AS64512', String(Math.floor(t(0).getTime() / DAY))].join('\u001f'))
      .digest('hex')
      .slice(0, 32);
    expect(alertIdFor(signIn, DAY)).toBe(expected);
  });

  it('the permission such an alert names continues it after the upgrade, and sends nothing', () => {
    const { alerts, scan, id } = upgraded();
    expect(scan(t(40), [grant(30, 'IMAP.AccessAsApp')])).toEqual([]);
    expect([...alerts.keys()]).toEqual([id]);
    expect(alerts.get(id)!.count).toBe(2);
  });

  it('a wider permission does not fold into it: it is an alert of its own, notified', () => {
    const { alerts, scan, id } = upgraded();
    const entries = scan(t(40), [grant(30, 'full_access_as_app')]);
    expect(summaries(entries, alerts)).toEqual([expect.stringMatching(/^full_access_as_app /)]);
    expect(alerts.get(id)!.count).toBe(1);
  });

  it('an app that names itself after the permission cannot make its summary claim it', () => {
    const { alerts, scan } = upgraded('full_access_as_app');
    expect(scan(t(40), [grant(30, 'full_access_as_app', { appDisplayName: 'full_access_as_app' })])).toHaveLength(1);
    expect(alerts.size).toBe(2);
  });
});
