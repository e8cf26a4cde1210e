/** Microsoft's own audit log query examples, read by credwatch's parsers (test/fixtures/microsoft/audit-log-queries). */
import { describe, expect, it } from 'vitest';
import { auditQueryStateOf, mailAccessQueryBody } from '../../src/collect/audit-queries.js';
import { normalizeAuditRecord } from '../../src/collect/audit-records.js';
import { summarizeBlastRadius } from '../../src/collect/blast-radius.js';
import { body, example, onlyRow } from './fixtures.js';

describe("Microsoft's audit log query examples", () => {
  it('reads the Create answer: its id, and a status outside the documented list as unknownFutureValue', () => {
    expect(auditQueryStateOf(body(example('audit-log-queries/create-example.json')))).toEqual({
      id: '168ec429-084b-a489-90d8-504a87846305',
      displayName: 'String',
      status: 'unknownFutureValue',
      recordLimitExceeded: false,
    });
  });

  it('reads the Get answer, which the page wraps in "value"', () => {
    expect(auditQueryStateOf(body(example('audit-log-queries/get-example.json')))).toMatchObject({ id: '168ec429-084b-a489-90d8-504a87846305' });
  });

  it('sends only properties the Create example shows', () => {
    const documented = Object.keys(example('audit-log-queries/create-example.json').requestBody as object);
    const sent = mailAccessQueryBody({ displayName: 'credwatch blast radius x', ips: ['198.51.100.43'], from: new Date(0), to: new Date(3_600_000) });
    expect(Object.keys(sent).filter((k) => !documented.includes(k))).toEqual([]);
  });

  it('reads the List records row with placeholder values as a record whose every fact is unknown, and counts it as such', () => {
    const record = normalizeAuditRecord(onlyRow(example('audit-log-queries/list-records-example.json')));
    expect(record).toEqual({
      recordId: '40706737-7eca-f9a1-97a5-dedd3260e24a',
      mailbox: undefined,
      operation: 'String',
      at: undefined,
      clientIp: undefined,
      appIds: [],
      accessType: 'unknown',
      rawAccessType: undefined,
      itemCount: undefined,
      folderCount: undefined,
      throttled: undefined,
    });
    if ('unreadable' in record) return;
    const radius = summarizeBlastRadius({
      appId: '11111111-1111-1111-1111-111111111111',
      ips: ['198.51.100.43'],
      from: new Date(0),
      to: new Date(1),
      records: [record],
      complete: true,
    });
    expect(radius).toMatchObject({ records: 0, otherIpRecords: 1, mailboxes: { count: 0 } });
  });
});
