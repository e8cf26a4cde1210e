import { describe, expect, it } from 'vitest';
import type { MailAccessRecord } from '../events.js';
import { normalizeAuditRecord } from './audit-records.js';
import { summarizeBlastRadius } from './blast-radius.js';

const APP = 'bbbbbbbb-0000-4000-8000-0000000000a1';
const OTHER_APP = 'cccccccc-0000-4000-8000-0000000000c1';
const FOREIGN = '198.51.100.43';
const FOREIGN_V6 = '2001:db8:bad:1::46';
const from = new Date('2026-11-24T00:00:00Z');
const to = new Date('2026-11-25T00:00:00Z');

/** An Exchange MailItemsAccessed auditData as the Purview and Management API pages describe it. */
function auditRow(overrides: Record<string, unknown> = {}, auditData: Record<string, unknown> = {}): unknown {
  return {
    id: String(overrides['id'] ?? 'r-1'),
    createdDateTime: '2026-11-24T10:00:00Z',
    operation: 'MailItemsAccessed',
    clientIp: FOREIGN,
    ...overrides,
    auditData: {
      MailboxOwnerUPN: 'CEO@contoso.example',
      ClientIPAddress: FOREIGN,
      AppAccessContext: { ClientAppId: APP },
      OperationProperties: [
        { Name: 'MailAccessType', Value: 'Bind' },
        { Name: 'IsThrottled', Value: 'False' },
      ],
      Folders: [{ Id: 'f', Path: '\\Inbox', FolderItems: [{ InternetMessageId: '<a@x>' }, { InternetMessageId: '<b@x>' }] }],
      ...auditData,
    },
  };
}

function record(overrides: Record<string, unknown> = {}, auditData: Record<string, unknown> = {}): MailAccessRecord {
  const r = normalizeAuditRecord(auditRow(overrides, auditData));
  if ('unreadable' in r) throw new Error(r.unreadable);
  return r;
}

describe('MailItemsAccessed records', () => {
  it('reads mailbox, address, app, access type, items and folders from the documented auditData fields', () => {
    expect(record()).toEqual({
      recordId: 'r-1',
      mailbox: 'ceo@contoso.example',
      operation: 'MailItemsAccessed',
      at: new Date('2026-11-24T10:00:00Z'),
      clientIp: FOREIGN,
      appIds: [APP],
      accessType: 'bind',
      rawAccessType: undefined,
      itemCount: 2,
      folderCount: 1,
      throttled: false,
    });
  });

  it('reads an address logged with a port or in brackets, and an IPv4-mapped IPv6 address as IPv4', () => {
    expect(record({}, { ClientIPAddress: '198.51.100.43:51234' }).clientIp).toBe(FOREIGN);
    expect(record({}, { ClientIPAddress: '[2001:db8:bad:1::46]:443' }).clientIp).toBe(FOREIGN_V6);
    expect(record({}, { ClientIPAddress: '::ffff:198.51.100.43' }).clientIp).toBe(FOREIGN);
  });

  it('keeps what is missing or unknown as unknown, never as zero or as one of the documented values', () => {
    const r = record(
      { createdDateTime: 'yesterday', clientIp: 'nowhere' },
      {
        MailboxOwnerUPN: '',
        ClientIPAddress: null,
        AppAccessContext: [],
        OperationProperties: [{ Name: 'MailAccessType', Value: 'Peek' }],
        Folders: [{ Id: 'f' }],
      },
    );
    expect(r).toMatchObject({
      mailbox: undefined,
      clientIp: undefined,
      appIds: [],
      accessType: 'unknown',
      rawAccessType: 'Peek',
      itemCount: undefined,
      folderCount: 1,
      throttled: undefined,
    });
    expect(r.at).toBeUndefined();
    expect(record({}, { Folders: undefined, OperationProperties: undefined })).toMatchObject({
      itemCount: undefined,
      folderCount: undefined,
      accessType: 'unknown',
      rawAccessType: undefined,
    });
  });

  it('reads auditData served as a JSON string, and refuses a record without an id or not an object', () => {
    const row = auditRow() as { auditData: unknown };
    expect(normalizeAuditRecord({ ...row, auditData: JSON.stringify(row.auditData) })).toMatchObject({ mailbox: 'ceo@contoso.example', itemCount: 2 });
    expect(normalizeAuditRecord({ auditData: {} })).toEqual({ unreadable: 'no id' });
    expect(normalizeAuditRecord('MailItemsAccessed')).toEqual({ unreadable: 'not an object' });
  });

  it('collects every app id a record names (AppAccessContext, ClientAppId, AppId), ignoring what is not a GUID', () => {
    expect(record({}, { AppAccessContext: [{ ClientAppId: APP.toUpperCase() }], ClientAppId: '', AppId: OTHER_APP }).appIds).toEqual([APP, OTHER_APP]);
    expect(record({}, { AppAccessContext: { ClientAppId: 'Outlook' } }).appIds).toEqual([]);
  });
});

describe('blast radius', () => {
  const summary = (records: MailAccessRecord[], ips = [FOREIGN, FOREIGN_V6], complete = true) =>
    summarizeBlastRadius({ appId: APP, ips, from, to, records, complete });

  it('counts the mailboxes, items and folders the alerted app read from the alerted addresses, per address', () => {
    const radius = summary([
      record({ id: '1' }),
      record({ id: '2', createdDateTime: '2026-11-24T12:00:00Z' }, { MailboxOwnerUPN: 'cfo@contoso.example' }),
      record({ id: '3', createdDateTime: '2026-11-24T09:00:00Z' }, { MailboxOwnerUPN: 'cfo@contoso.example', ClientIPAddress: FOREIGN_V6 }),
      record({ id: '4' }, { OperationProperties: [{ Name: 'MailAccessType', Value: 'Sync' }], Folders: [{ Id: 's', Path: '\\Sent Items' }] }),
    ]);
    expect(radius).toMatchObject({
      records: 4,
      mailboxes: { count: 2, list: ['ceo@contoso.example', 'cfo@contoso.example'], truncated: false },
      itemsNamed: 6,
      recordsWithoutItemCount: 1,
      folders: 4,
      bind: 3,
      sync: 1,
      unknownAccessType: 0,
      firstAccess: new Date('2026-11-24T09:00:00Z'),
      lastAccess: new Date('2026-11-24T12:00:00Z'),
      perIp: [
        { ip: FOREIGN, records: 3, mailboxes: 2 },
        { ip: FOREIGN_V6, records: 1, mailboxes: 1 },
      ],
      complete: true,
    });
  });

  it("leaves out another app's reads and reads from other addresses, and counts them", () => {
    const radius = summary(
      [record({ id: '1' }), record({ id: '2' }, { AppAccessContext: { ClientAppId: OTHER_APP } }), record({ id: '3' }, { ClientIPAddress: '205.139.110.11' })],
      [FOREIGN],
    );
    expect(radius).toMatchObject({ records: 1, otherAppRecords: 1, otherIpRecords: 1, mailboxes: { count: 1 } });
  });

  it('counts hostile rows as unknown, never as zero: no mailbox, no app, no time, no access type', () => {
    const radius = summary([
      record({ id: '1' }, { MailboxOwnerUPN: undefined }),
      record({ id: '2' }, { AppAccessContext: undefined }),
      record({ id: '3', createdDateTime: undefined }),
      record({ id: '4' }, { OperationProperties: [{ Name: 'MailAccessType', Value: 'unknownFutureValue' }] }),
    ]);
    expect(radius).toMatchObject({
      records: 3,
      recordsWithoutMailbox: 1,
      recordsWithoutApp: 1,
      recordsWithoutTime: 1,
      unknownAccessType: 1,
      mailboxes: { count: 1 },
    });
  });

  it('names throttled mailboxes, whose later access went unaudited, and is incomplete when records were left unread', () => {
    const radius = summarizeBlastRadius({
      appId: APP.toUpperCase(),
      ips: [FOREIGN],
      from,
      to,
      records: [
        record(
          {},
          {
            OperationProperties: [
              { Name: 'IsThrottled', Value: 'True' },
              { Name: 'MailAccessType', Value: 'Bind' },
            ],
          },
        ),
      ],
      unreadableRecords: 1,
      complete: true,
    });
    expect(radius).toMatchObject({ throttledMailboxes: ['ceo@contoso.example'], records: 1, complete: false, unreadableRecords: 1 });
    expect(summary([], [FOREIGN], false)).toMatchObject({ records: 0, complete: false, mailboxes: { count: 0, list: [] }, firstAccess: undefined });
  });
});
