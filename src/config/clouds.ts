/**
 * Microsoft's national clouds and the hosts credwatch talks to in each. A tenant lives in exactly one
 * cloud, and its token must come from that cloud's authority: a global-cloud token is rejected by the
 * US Government Graph and the other way round, so the table is the single place these hosts live.
 */

/** The clouds a tenant can live in. */
export const CLOUD_NAMES = ['global', 'usgov', 'usgovdod', 'china'] as const;

/** One of {@link CLOUD_NAMES}. */
export type CloudName = (typeof CLOUD_NAMES)[number];

/** The https origins of a cloud's identity platform and Microsoft Graph, without a trailing slash. */
export interface CloudEndpoints {
  /** Where tokens come from, e.g. `https://login.microsoftonline.com` (the tenant is appended by the graph layer). */
  readonly authorityHost: string;
  /** Graph's base URL without the API version, e.g. `https://graph.microsoft.com`. */
  readonly graphBaseUrl: string;
}

/**
 * Hosts per cloud. DoD shares the US Government authority but has its own Graph host; China is run by
 * 21Vianet with hosts of its own.
 */
export const CLOUD_ENDPOINTS: Readonly<Record<CloudName, CloudEndpoints>> = Object.freeze({
  global: Object.freeze({
    authorityHost: 'https://login.microsoftonline.com',
    graphBaseUrl: 'https://graph.microsoft.com',
  }),
  usgov: Object.freeze({
    authorityHost: 'https://login.microsoftonline.us',
    graphBaseUrl: 'https://graph.microsoft.us',
  }),
  usgovdod: Object.freeze({
    authorityHost: 'https://login.microsoftonline.us',
    graphBaseUrl: 'https://dod-graph.microsoft.us',
  }),
  china: Object.freeze({
    authorityHost: 'https://login.chinacloudapi.cn',
    graphBaseUrl: 'https://microsoftgraph.chinacloudapi.cn',
  }),
});
