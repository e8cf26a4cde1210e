import { describe, expect, it } from 'vitest';
import { decodeAlert, encodeAlert } from '../../src/state/codec-alerts.js';
import { alert } from './records.js';

/** An alert row as credwatch wrote it before `notifiedSeverity` existed. */
function legacyRow(stored = alert('alert-1')) {
  const row = encodeAlert(stored);
  const body = JSON.parse(row.body) as Record<string, unknown>;
  delete body['notifiedSeverity'];
  return { ...row, body: JSON.stringify(body) };
}

describe('the alert codec', () => {
  it('writes the severity last notified into the body and reads it back', () => {
    const row = encodeAlert(alert('alert-1', { notifiedSeverity: 'high' }));
    expect(JSON.parse(row.body)).toMatchObject({ notifiedSeverity: 'high' });
    expect(decodeAlert(row).notifiedSeverity).toBe('high');
  });

  it('reads an alert stored before the notified severity was kept, with the field undefined and everything else intact', () => {
    const decoded = decodeAlert(legacyRow());
    expect(decoded).toStrictEqual({ ...alert('alert-1'), notifiedSeverity: undefined });
  });
});
