import { describe, expect, it } from 'vitest';
import { scanWindow } from './window.js';

const collection = { overlapInMinutes: 120, settleInMinutes: 5, backfillInDays: 7, maxRunMinutes: 20 };
const now = new Date('2026-11-26T12:00:00Z');

describe('scanWindow', () => {
  it('backfills on the first run and stops short of the settle time', () => {
    expect(scanWindow(undefined, now, collection)).toMatchObject({
      from: new Date('2026-11-19T12:00:00Z'),
      to: new Date('2026-11-26T11:55:00Z'),
      gap: undefined,
    });
  });

  it('re-reads the overlap before the watermark', () => {
    expect(scanWindow(new Date('2026-11-26T11:40:00Z'), now, collection)).toMatchObject({
      from: new Date('2026-11-26T09:40:00Z'),
      to: new Date('2026-11-26T11:55:00Z'),
    });
  });

  it('treats a watermark in the future as skew: re-reads the overlap and says so', () => {
    const w = scanWindow(new Date('2026-11-27T00:00:00Z'), now, collection);
    expect(w).toMatchObject({ from: new Date('2026-11-26T09:55:00Z'), futureWatermark: new Date('2026-11-27T00:00:00Z') });
  });

  it('raises a data-gap alarm naming the lost interval when the monitor was down beyond retention', () => {
    const w = scanWindow(new Date('2026-10-01T00:00:00Z'), now, collection);
    expect(w.from).toEqual(new Date('2026-10-27T12:00:00Z'));
    expect(w.gap).toMatchObject({ from: new Date('2026-09-30T22:00:00Z'), to: new Date('2026-10-27T12:00:00Z') });
  });
});
