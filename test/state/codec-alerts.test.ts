import { describe, expect, it } from 'vitest';
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
});
