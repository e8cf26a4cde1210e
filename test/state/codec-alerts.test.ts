import { describe, expect, it } from 'vitest';
import type { AlertBlastRadius } from '../../src/events.js';
import { summarizeBlastRadius } from '../../src/collect/blast-radius.js';
import { decodeAlert, encodeAlert } from '../../src/state/codec-alerts.js';
import { alert } from './records.js';

/** An alert row as credwatch wrote it before `notifiedSeverity` (and `notifiedFacts`) existed. */
function legacyRow(stored = alert('alert-1'), fields = ['notifiedSeverity', 'notifiedFacts']) {
  const row = encodeAlert(stored);
  const body = JSON.parse(row.body) as Record<string, unknown>;
  for (const field of fields) delete body[field];
  return { ...row, body: JSON.stringify(body) };
}

describe('the alert codec', () => {
  it('writes the severity last notified into the body and reads it back', () => {
    const row = encodeAlert(alert('alert-1', { notifiedSeverity: 'high' }));
    expect(JSON.parse(row.body)).toMatchObject({ notifiedSeverity: 'high' });
    expect(decodeAlert(row).notifiedSeverity).toBe('high');
  });

  it('reads an alert stored before the notified severity was kept, with the field undefined and everything else intact', () => {
    const { notifiedFacts: _none, ...rest } = alert('alert-1');
    expect(decodeAlert(legacyRow())).toStrictEqual({ ...rest, notifiedSeverity: undefined });
  });

  it('writes what the alert was last notified with into the body and reads it back', () => {
    const told = { ips: ['203.0.113.9'], asns: [64999], resources: ['Office 365 Exchange Online'], success: true };
    const row = encodeAlert(alert('alert-1', { notifiedFacts: told }));
    expect(JSON.parse(row.body)).toMatchObject({ notifiedFacts: told });
    expect(decodeAlert(row).notifiedFacts).toStrictEqual(told);
  });

  it('reads an alert stored before the notified facts were kept without them, so the alerts module counts its values as told', () => {
    const decoded = decodeAlert(legacyRow(alert('alert-1'), ['notifiedFacts']));
    expect(decoded).not.toHaveProperty('notifiedFacts');
    const { notifiedFacts: _none, ...rest } = alert('alert-1');
    expect(decoded).toStrictEqual(rest);
    expect(decodeAlert(encodeAlert(rest))).toStrictEqual(rest);
  });

  const asked = { ips: ['203.0.113.9'], from: new Date('2026-11-26T09:00:00Z'), to: new Date('2026-11-26T12:00:00Z'), at: new Date('2026-11-26T12:30:00Z') };
  const known: AlertBlastRadius = {
    ...asked,
    intentId: 'intent-1',
    status: 'known',
    radius: summarizeBlastRadius({
      appId: 'app',
      ips: asked.ips,
      from: asked.from,
      to: asked.to,
      complete: true,
      records: [
        {
          recordId: 'r1',
          mailbox: 'ceo@contoso.com',
          operation: 'MailItemsAccessed',
          at: new Date('2026-11-26T10:10:00Z'),
          clientIp: '203.0.113.9',
          appIds: ['app'],
          accessType: 'bind',
          rawAccessType: undefined,
          itemCount: 3,
          folderCount: 1,
          throttled: undefined,
        },
      ],
    }),
  };

  it.each<[string, AlertBlastRadius]>([
    ['pending', { ...asked, intentId: 'intent-1', status: 'pending' }],
    ['known', known],
    ['unknown', { ...asked, intentId: undefined, status: 'unknown', code: 'BLAST_RADIUS_NO_PERMISSION', reason: 'Graph refused' }],
  ])('writes a %s blast radius and the round last notified into the body and reads them back', (_state, blastRadius) => {
    const stored = alert('alert-1', {
      blastRadius,
      notifiedRound: 4,
      notifiedFacts: { ips: [], asns: [], resources: [], success: false, blastRadius: 'unknown:X' },
    });
    expect(decodeAlert(encodeAlert(stored))).toStrictEqual(stored);
  });

  it('reads an alert stored before the blast radius was kept without it, and refuses one with an unknown status', () => {
    const decoded = decodeAlert(legacyRow(alert('alert-1'), ['notifiedRound', 'blastRadius']));
    expect(decoded).not.toHaveProperty('blastRadius');
    expect(decoded).not.toHaveProperty('notifiedRound');
    const bad = { ...asked, intentId: undefined, status: 'gone' } as unknown as AlertBlastRadius;
    expect(() => encodeAlert(alert('alert-1', { blastRadius: bad }))).toThrow(/blastRadius.status/);
  });
});
