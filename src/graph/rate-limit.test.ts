import { describe, expect, it } from 'vitest';
import { RateLimiter, type Clock } from './rate-limit.js';

/** A clock that only moves when someone sleeps: the limiter's waits become exact numbers. */
function fakeClock(): Clock & { slept: number[] } {
  let now = Date.parse('2026-11-26T10:00:00Z');
  const slept: number[] = [];
  return {
    slept,
    now: () => new Date(now),
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe('RateLimiter', () => {
  it('sends at most five report requests per ten seconds', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(clock);
    for (let i = 0; i < 6; i += 1) await limiter.acquire('/beta/auditLogs/signIns');
    expect(clock.slept).toEqual([10_000]);
  });

  it('spaces named-location reads one second apart because Graph sends no Retry-After for them', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(clock);
    await limiter.acquire('/v1.0/identity/conditionalAccess/namedLocations');
    await limiter.acquire('/v1.0/identity/conditionalAccess/namedLocations');
    expect(clock.slept).toEqual([1_000]);
  });

  it('does not limit directory reads', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(clock);
    for (let i = 0; i < 50; i += 1) await limiter.acquire('/v1.0/servicePrincipals');
    expect(clock.slept).toEqual([]);
  });

  it('holds every request until a Retry-After has passed', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(clock);
    limiter.pauseUntil(clock.now().getTime() + 30_000);
    await limiter.acquire('/v1.0/applications');
    expect(clock.slept).toEqual([30_000]);
  });
});
