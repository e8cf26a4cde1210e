/**
 * The transport of URL allowlist sources: a DNS lookup, and a GET connected to one address chosen
 * by the caller. Split in two so the caller can judge every address a name resolves to and then
 * connect to the address it judged: a second lookup at connect time could answer differently (DNS
 * rebinding) and reach an address nobody checked. The host name still goes in the Host header and
 * in TLS SNI, and the certificate is verified against it.
 */
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { rootCertificates } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';

/** One address a host name resolves to, as `dns.lookup` returns it. */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

/** Resolves a host name to every address (nodejs.org/api/dns.html#dnspromiseslookuphostname-options with `all: true`). */
export type HostLookup = (hostname: string) => Promise<readonly ResolvedAddress[]>;

/** What the GET of one hop is given. */
export interface PinnedGetInit {
  readonly signal: AbortSignal;
  readonly headers: Readonly<Record<string, string>>;
}

/** How URL allowlists reach the network; tests inject `lookup` and, for canned bodies, `get`. */
export interface AllowlistHttp {
  readonly lookup: HostLookup;
  /** One GET of `url` over a connection to `address` only; a redirect is returned, never followed. */
  readonly get: (url: URL, address: ResolvedAddress, init: PinnedGetInit) => Promise<Response>;
}

/** Options for {@link allowlistHttp}. */
export interface AllowlistHttpOptions {
  /** An extra trust anchor (the simulator's CA, a TLS-inspecting proxy's), as for the tenant's endpoints. */
  caCertificatePem?: string | undefined;
  /** Replaces the system resolver (tests). */
  lookup?: HostLookup;
}

const systemLookup: HostLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** The transport used in production: the system resolver and undici, pinned per request. */
export function allowlistHttp(options: AllowlistHttpOptions = {}): AllowlistHttp {
  const ca = options.caCertificatePem ? [...rootCertificates, options.caCertificatePem] : undefined;
  return {
    lookup: options.lookup ?? systemLookup,
    get: async (url, address, init) => {
      // Node asks for every address when it may try several (autoSelectFamily); either way it gets the one judged.
      const lookup: LookupFunction = (_hostname, lookupOptions, callback) => {
        if (lookupOptions.all) callback(null, [{ address: address.address, family: address.family }]);
        else callback(null, address.address, address.family);
      };
      const agent = new Agent({ connect: { lookup, ...(ca ? { ca } : {}) } });
      try {
        const response = await undiciFetch(url, { headers: init.headers, signal: init.signal, redirect: 'manual', dispatcher: agent });
        // Closes once the body has been read or cancelled; no second request ever uses this agent.
        agent.close().catch(() => undefined);
        return response as unknown as Response;
      } catch (e: unknown) {
        agent.destroy().catch(() => undefined);
        throw e;
      }
    },
  };
}
