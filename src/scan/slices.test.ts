import { describe, expect, it } from 'vitest';
import type { MsInterval } from '../state/coverage.js';
import { backlogOf, finalPart, lengthOf, planRead, putBack, runTimes, subtract, takeLiveEdge, takeOldest } from './slices.js';

const MIN = 60_000;
const DAY = 86_400_000;
const NOW = Date.parse('2026-12-07T12:00:00Z');
const t = runTimes(NOW, { settleInMinutes: 5, overlapInMinutes: 120 }, 30);
const iv = (fromMs: number, toMs: number): MsInterval => ({ fromMs, toMs });

describe('subtract', () => {
  it('leaves the holes of a range between covered intervals', () => {
    expect(subtract(iv(0, 100), [iv(-10, 5), iv(20, 30), iv(30, 40), iv(90, 200)])).toEqual([iv(5, 20), iv(40, 90)]);
    expect(subtract(iv(0, 100), [])).toEqual([iv(0, 100)]);
    expect(subtract(iv(0, 100), [iv(0, 100)])).toEqual([]);
  });
});

describe('planRead', () => {
  it('starts a stream never read at its backfill, recording the time before it as never wanted', () => {
    const plan = planRead([], undefined, t, 7, 120 * MIN);
    expect(plan.adopt).toEqual([iv(0, NOW - 7 * DAY)]);
    expect(plan.lost).toEqual([]);
    expect(plan.unread).toEqual([iv(NOW - 7 * DAY, t.runToMs)]);
  });

  it("takes an earlier release's watermark as covered up to its overlap, which that release re-read itself", () => {
    const watermark = NOW - 60 * MIN;
    const plan = planRead([], watermark, t, 7, 120 * MIN);
    expect(plan.adopt).toEqual([iv(0, watermark - 120 * MIN)]);
    expect(plan.unread).toEqual([iv(watermark - 120 * MIN, t.runToMs)]);
  });

  it('names every hole older than the retention as lost, and reads only what the log still holds', () => {
    const covered = [iv(0, NOW - 40 * DAY), iv(NOW - 35 * DAY, NOW - 31 * DAY), iv(NOW - 2 * DAY, NOW - 1 * DAY)];
    const plan = planRead(covered, NOW - DAY, t, 7, 120 * MIN);
    expect(plan.adopt).toEqual([]);
    expect(plan.lost).toEqual([iv(NOW - 40 * DAY, NOW - 35 * DAY), iv(NOW - 31 * DAY, t.retentionStartMs)]);
    expect(plan.unread).toEqual([iv(t.retentionStartMs, NOW - 2 * DAY), iv(NOW - DAY, t.runToMs)]);
  });

  it('reads nothing when the clock went back behind what is covered', () => {
    expect(planRead([iv(0, NOW + DAY)], NOW + DAY, t, 7, 120 * MIN).unread).toEqual([]);
  });
});

describe('slices', () => {
  it('takes the live edge from the newest unread time, at most one span long', () => {
    const unread = [iv(100, 200), iv(t.runToMs - 50 * MIN, t.runToMs)];
    expect(takeLiveEdge(unread, t.runToMs, 20 * MIN)).toEqual(iv(t.runToMs - 20 * MIN, t.runToMs));
    expect(unread).toEqual([iv(100, 200), iv(t.runToMs - 50 * MIN, t.runToMs - 20 * MIN)]);
    expect(takeLiveEdge(unread, t.runToMs, 20 * MIN)).toBeUndefined();
  });

  it('takes the whole newest interval when it fits in a span', () => {
    const unread = [iv(t.runToMs - 10 * MIN, t.runToMs)];
    expect(takeLiveEdge(unread, t.runToMs, 20 * MIN)).toEqual(iv(t.runToMs - 10 * MIN, t.runToMs));
    expect(unread).toEqual([]);
  });

  it('takes the oldest time first and puts an unfinished slice back in order, joined with its neighbours', () => {
    const unread = [iv(0, 100), iv(200, 300)];
    expect(takeOldest(unread, 40)).toEqual(iv(0, 40));
    expect(takeOldest(unread, 100)).toEqual(iv(40, 100));
    expect(unread).toEqual([iv(200, 300)]);
    putBack(unread, iv(40, 100));
    putBack(unread, iv(100, 200));
    expect(unread).toEqual([iv(40, 300)]);
    expect(takeOldest([], 10)).toBeUndefined();
  });

  it('covers only the final part of a slice: time within the overlap is read again by the next scans', () => {
    expect(finalPart(iv(t.finalBeforeMs - 10, t.finalBeforeMs + 10), t)).toEqual(iv(t.finalBeforeMs - 10, t.finalBeforeMs));
    expect(finalPart(iv(t.finalBeforeMs, t.runToMs), t)).toBeUndefined();
  });

  it('counts as backlog only unread time that should be final by now', () => {
    const unread = [iv(0, 10 * MIN), iv(t.finalBeforeMs - 5 * MIN, t.runToMs)];
    expect(backlogOf(unread, t)).toEqual([iv(0, 10 * MIN), iv(t.finalBeforeMs - 5 * MIN, t.finalBeforeMs)]);
    expect(lengthOf(backlogOf(unread, t))).toBe(15 * MIN);
  });
});
