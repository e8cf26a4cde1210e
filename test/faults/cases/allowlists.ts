import type { FaultArea } from '../case.js';

const file = 'test/faults/allowlists.test.ts';

export const allowlistFaults: FaultArea = {
  title: 'Allowlist sources that lie or attack',
  intro: 'Allowlist URLs that redirect, point at internal addresses, or answer too much or too slowly.',
  cases: [
    {
      fault: 'An allowlist URL names 127.0.0.1, [::1] or localhost (no allowPrivateNetwork)',
      expected: 'Refused with ALLOWLIST_URL_REFUSED before connecting: the server sees no request; the vendor is unknown',
      test: { file, name: 'refuses a URL on 127.0.0.1, [::1] or localhost before any request reaches it' },
    },
    {
      fault:
        'The URL host resolves to a private, CGNAT, metadata (169.254.169.254, fd00:ec2::254) or IPv4-mapped private address, alone or next to a public one',
      expected: 'Refused with ALLOWLIST_URL_REFUSED naming the address and its kind; no connection is opened',
      test: { file, name: 'refuses a host name that resolves to a private or metadata address, if any of its addresses is one' },
    },
    {
      fault: 'DNS answers differently between the check and the connection (rebinding)',
      expected: 'Resolved once; the connection goes to the address checked, with the name kept for Host and TLS',
      test: { file, name: 'connects to the address it checked, never asking DNS again, and keeps the name for Host and TLS' },
    },
    {
      fault: 'The feed redirects to another port or host (no allowRedirects)',
      expected: 'Redirect refused with ALLOWLIST_URL_REFUSED; the target sees no request',
      test: { file, name: 'refuses a redirect to another port of the same loopback host, and the target sees no request' },
    },
    {
      fault: 'The https feed redirects to plain http, even with allowRedirects',
      expected: 'Redirect refused with ALLOWLIST_URL_REFUSED; the http target sees no request',
      test: { file, name: 'refuses a redirect from https to http even with allowRedirects, and the http target sees no request' },
    },
    {
      fault: 'A permitted cross-host redirect leads to a host that resolves to the metadata address',
      expected: 'The new host is judged like the first and refused before any request to it',
      test: { file, name: 'judges the host a permitted redirect leads to, refusing the metadata address before connecting' },
    },
    {
      fault: 'A URL that served a good list is now refused',
      expected: 'A failed fetch like any other: the last good copy stays in use, the refusal is reported',
      test: { file, name: 'uses the last good copy when the URL is refused, as for any failed fetch' },
    },
    {
      fault: 'The feed streams an endless body',
      expected: 'Reading stops at maxBodyInBytes with ALLOWLIST_RESPONSE_TOO_LARGE; the server could write only a bounded amount; the vendor is unknown',
      test: { file, name: 'stops an endless body at maxBodyInBytes, having read little past it, and reports the vendor unknown' },
    },
    {
      fault: 'The feed declares a Content-Length over maxBodyInBytes',
      expected: 'Refused with ALLOWLIST_RESPONSE_TOO_LARGE before the body is read',
      test: { file, name: 'refuses a declared Content-Length over maxBodyInBytes without reading the body' },
    },
    {
      fault: 'The feed trickles a few bytes at a time, forever',
      expected: 'The whole fetch ends at timeoutInMs with ALLOWLIST_SOURCE_FAILED; the connection is closed; the vendor is unknown',
      test: { file, name: 'ends a body that trickles forever at timeoutInMs, holding only what arrived' },
    },
  ],
};
