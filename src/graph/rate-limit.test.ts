import { describe, expect, it } from 'vitest';
import { findEndpoint } from './contract.js';
import type { GraphEndpoint } from './endpoints.js';
import { GraphBudgets, RateLimiter, type Clock } from './rate-limit.js';

/** A clock that only moves when someone sleeps or a test advances it: waits become exact numbers. */
function fakeClock(): Clock & { slept: number[]; advance(ms: number): void } {
  let now = Date.parse('2026-11-26T10:00:00Z');
  const slept: number[] = [];
  return {
    slept,
    advance: (ms) => {
      now += ms;
    },
    now: () => new Date(now),
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
      // Yield to timers, so a test can act while a request waits.
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

function endpoint(method: 'GET' | 'POST', version: string, path: string): GraphEndpoint {
  const found = findEndpoint(method, version, path);
  if (!found) throw new Error(`no endpoint for ${path}`);
  return found;
}

const SIGN_INS = endpoint('GET', 'beta', '/auditLogs/signIns');
const AUDITS = endpoint('GET', 'v1.0', '/auditLogs/directoryAudits');

async function send(limiter: RateLimiter, e: GraphEndpoint, clock?: ReturnType<typeof fakeClock>, tookMs = 0, keyCredentials = false): Promise<void> {
  const slot = await limiter.acquire(e, keyCredentials);
  clock?.advance(tookMs);
  slot.release();
}

describe('RateLimiter', () => {
  it('sends at most five report requests per ten seconds, sign-ins and audits together', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(clock);
    for (let i = 0; i < 3; i += 1) await send(limiter, SIGN_INS);
    for (let i = 0; i < 3; i += 1) await send(limiter, AUDITS);
    expect(clock.slept).toEqual([10_000]);
  });

  it('counts a report request from when its answer arrived, so a slow first request cannot let a sixth in early', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(clock);
    await send(limiter, SIGN_INS, clock, 800); // answered 0.8 s after it was sent
    for (let i = 0; i < 4; i += 1) await send(limiter, SIGN_INS);
    await send(limiter, SIGN_INS);
    // The sixth waits until ten seconds after the first answer, not after the first send.
    expect(clock.slept).toEqual([10_000]);
  });

  it('keeps a slot while its request is in flight', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(clock);
    const held = await Promise.all([1, 2, 3, 4, 5].map(() => limiter.acquire(SIGN_INS)));
    const sixth = limiter.acquire(SIGN_INS);
    let sixthStarted = false;
    void sixth.then(() => {
      sixthStarted = true;
    });
    await new Promise((r) => setTimeout(r, 5));
    expect(sixthStarted).toBe(false);
    const releasedAt = clock.now().getTime();
    for (const slot of held) slot.release();
    (await sixth).release();
    // Ten seconds from the answers, not from when the slots were taken.
    expect(clock.now().getTime() - releasedAt).toBe(10_000);
  });

  it('shares the 122-per-10-second app budget across every tenant of the process', async () => {
    const clock = fakeClock();
    const budgets = new GraphBudgets();
    const tenants = Array.from({ length: 30 }, (_, i) => new RateLimiter(clock, true, budgets.forTenant('app-1', `tenant-${i}`)));
    // 30 tenants × 5 requests = 150 > 122: the app window, not the tenant windows, makes someone wait.
    for (const limiter of tenants) for (let i = 0; i < 5; i += 1) await send(limiter, SIGN_INS);
    expect(clock.slept).toEqual([10_000]);
    // Another app's tenants have their own budget.
    const other = new RateLimiter(clock, true, budgets.forTenant('app-2', 'tenant-0'));
    for (let i = 0; i < 5; i += 1) await send(other, SIGN_INS);
    expect(clock.slept).toEqual([10_000]);
  });

  it("keeps one tenant's five-per-ten-seconds however many connections of the process read it", async () => {
    const clock = fakeClock();
    const budgets = new GraphBudgets();
    const scan = new RateLimiter(clock, true, budgets.forTenant('app-1', 'contoso'));
    const doctor = new RateLimiter(clock, true, budgets.forTenant('app-1', 'CONTOSO'));
    for (let i = 0; i < 3; i += 1) await send(scan, SIGN_INS);
    for (let i = 0; i < 3; i += 1) await send(doctor, AUDITS);
    expect(clock.slept).toEqual([10_000]);
  });

  it('takes all the slots of a batch at once, so two concurrent batches of four report reads both go instead of waiting for each other', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(clock);
    const batch = Array.from({ length: 4 }, () => ({ endpoint: SIGN_INS, selectsKeyCredentials: false }));
    const first = limiter.acquireAll(batch);
    const second = limiter.acquireAll(batch);
    const slot = await first;
    slot.release();
    (await second).release();
    // The second batch needed 4 of 5 slots with 4 held: it waited for the first batch's answers to age out.
    expect(clock.slept.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(10_000);
  });

  it('spaces named-location reads one second apart because Graph sends no Retry-After for them', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(clock);
    const named = endpoint('GET', 'v1.0', '/identity/conditionalAccess/namedLocations');
    await send(limiter, named);
    await send(limiter, named);
    expect(clock.slept).toEqual([1_000]);
  });

  it('allows 150 keyCredentials selects per minute and leaves other directory reads alone', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(clock);
    const list = endpoint('GET', 'v1.0', '/servicePrincipals');
    for (let i = 0; i < 200; i += 1) await send(limiter, list);
    expect(clock.slept).toEqual([]);
    for (let i = 0; i < 151; i += 1) await send(limiter, list, undefined, 0, true);
    expect(clock.slept).toEqual([60_000]);
  });

  it('holds every request until a Retry-After has passed', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(clock);
    limiter.pauseUntil(clock.now().getTime() + 30_000);
    await send(limiter, endpoint('GET', 'v1.0', '/applications'));
    expect(clock.slept).toEqual([30_000]);
  });

  it('does not limit anything when budgets are off (benchmarks only)', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(clock, false);
    for (let i = 0; i < 20; i += 1) await send(limiter, SIGN_INS);
    expect(clock.slept).toEqual([]);
  });
});
