import { describe, expect, it } from 'vitest';
import { createLogger } from '../logging.js';
import { reuseTokens, TOKEN_REFRESH_MARGIN_IN_MS, type AccessToken, type TokenSource } from './auth.js';
import { createGraphApi } from './client.js';
import type { FetchLike } from './http.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-11-26T10:00:00Z');

/** Stands in for MSAL: counts calls, issues token-1, token-2, … valid for an hour from the clock (null: no expiry given). */
function fakeMsal(clock: { now: number }, lifetimeInMs: number | null = HOUR) {
  const calls: Array<{ forceRefresh: boolean }> = [];
  const source: TokenSource = {
    getToken: async ({ forceRefresh = false } = {}) => {
      calls.push({ forceRefresh });
      await Promise.resolve();
      const token: AccessToken = {
        token: `token-${calls.length}`,
        expiresOn: lifetimeInMs === null ? undefined : new Date(clock.now + lifetimeInMs),
        roles: [],
        appId: undefined,
      };
      return token;
    },
  };
  return { source, calls };
}

describe('reuseTokens', () => {
  it('hands out the last token until five minutes before it expires, then asks again', async () => {
    const clock = { now: T0 };
    const msal = fakeMsal(clock);
    const tokens = reuseTokens(msal.source, { now: () => clock.now });
    expect((await tokens.getToken()).token).toBe('token-1');
    clock.now = T0 + HOUR - TOKEN_REFRESH_MARGIN_IN_MS - 1;
    expect((await tokens.getToken()).token).toBe('token-1');
    clock.now += 1;
    expect((await tokens.getToken()).token).toBe('token-2');
    expect(msal.calls).toEqual([{ forceRefresh: false }, { forceRefresh: false }]);
  });

  it('always asks on a forced refresh and keeps the new token for the next requests', async () => {
    const clock = { now: T0 };
    const msal = fakeMsal(clock);
    const tokens = reuseTokens(msal.source, { now: () => clock.now });
    await tokens.getToken();
    expect((await tokens.getToken({ forceRefresh: true })).token).toBe('token-2');
    expect((await tokens.getToken()).token).toBe('token-2');
    expect(msal.calls).toEqual([{ forceRefresh: false }, { forceRefresh: true }]);
  });

  it('shares one acquisition among callers that arrive together', async () => {
    const clock = { now: T0 };
    const msal = fakeMsal(clock);
    const tokens = reuseTokens(msal.source, { now: () => clock.now });
    const got = await Promise.all([tokens.getToken(), tokens.getToken(), tokens.getToken()]);
    expect(got.map((t) => t.token)).toEqual(['token-1', 'token-1', 'token-1']);
    expect(msal.calls).toHaveLength(1);
  });

  it('never keeps a token without an expiry', async () => {
    const clock = { now: T0 };
    const msal = fakeMsal(clock, null);
    const tokens = reuseTokens(msal.source, { now: () => clock.now });
    await tokens.getToken();
    await tokens.getToken();
    expect(msal.calls).toHaveLength(2);
  });
});

describe('Graph requests and tokens', () => {
  it('reuse one token across requests, refresh it once on a 401, then reuse the new one', async () => {
    const clock = { now: Date.now() };
    const msal = fakeMsal(clock);
    const seen: string[] = [];
    let rejectNext = false;
    const fetch: FetchLike = async (_url, init) => {
      const authorization = new Headers(init?.headers).get('authorization') ?? '';
      seen.push(authorization);
      if (rejectNext) {
        rejectNext = false;
        return new Response(JSON.stringify({ error: { code: 'InvalidAuthenticationToken', message: 'expired' } }), { status: 401 });
      }
      return new Response(JSON.stringify({ value: [] }), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const api = createGraphApi({
      graphBaseUrl: 'https://graph.test',
      tokens: reuseTokens(msal.source),
      fetch,
      logger: createLogger({ level: 'silent' }),
      enforceBudgets: false,
    });
    await api.get('/servicePrincipals');
    await api.get('/servicePrincipals');
    rejectNext = true;
    await api.get('/servicePrincipals');
    await api.get('/servicePrincipals');
    expect(seen).toEqual(['Bearer token-1', 'Bearer token-1', 'Bearer token-1', 'Bearer token-2', 'Bearer token-2']);
    expect(msal.calls).toEqual([{ forceRefresh: false }, { forceRefresh: true }]);
  });
});
