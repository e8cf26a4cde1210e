import type { FaultArea, FaultCase } from '../case.js';

const faults = 'test/faults/graph.test.ts';
const e2eFaults = 'test/e2e/faults.test.ts';
const e2eScan = 'test/e2e/scan.test.ts';
const values = 'src/collect/values.test.ts';
const signIns = 'src/collect/signins.test.ts';
const c = (fault: string, expected: string, file: string, name: string): FaultCase => ({ fault, expected, test: { file, name } });

export const graphFaults: FaultArea = {
  title: 'Graph answers badly',
  intro:
    'Throttling, server errors, broken bodies and paging as the failure modes of real log collectors (Elastic, Splunk, Wazuh, Sentinel connectors) show them.',
  cases: [
    // Records late, repeated or crowded on one timestamp.
    c(
      'A sign-in logged 20 minutes after its window was scanned (a late record), within the overlap',
      'The next scan reads it (newSignIns 1), the scan after reads it again and judges nothing (newSignIns 0); the critical alert counts it once (count 13) and one update names the new address',
      e2eScan,
      'alerts once on a late record that arrives after its window was scanned, within the overlap',
    ),
    c(
      '1,501 sign-ins sharing one createdDateTime, across a page boundary',
      'Every record read once: signIns = newSignIns = 1611, one finding for the foreign one',
      e2eScan,
      'reads every record once when many share one timestamp across a page boundary',
    ),
    c(
      'The same sign-in served twice in one page, then once more after its window was read',
      'Judged once: newSignIns 1 for the page holding both copies, 0 for the later copy; the critical alert count rises by exactly 1 and lists the address once',
      faults,
      'judges a sign-in served twice in one page, and again in a later window, once',
    ),
    c(
      'The whole window served again to the next scan (overlap re-read)',
      'newSignIns 0; alerts new 0, raised 0, notifications 0; nothing more delivered',
      e2eScan,
      'raises nothing new when the same data is scanned again',
    ),
    // Throttling.
    c(
      '429 with `Retry-After: 1` (seconds) on a nextLink',
      'No request is sent until the second has passed (≥ 990 ms to the next request); every item read once',
      e2eFaults,
      'waits out a 429 with Retry-After in seconds before sending anything else',
    ),
    c(
      "429 with Microsoft's fractional `Retry-After: 2.128`",
      'Waits the whole 3 s before the next request, then reads the page',
      'test/replay/throttling.test.ts',
      'is retried once, after waiting the whole seconds the fractional Retry-After starts, and the page is then read',
    ),
    c(
      '429 with `Retry-After` as an HTTP-date 2 s ahead',
      'The next request is not sent before that date; every item read once',
      e2eFaults,
      'honours a Retry-After given as an HTTP-date',
    ),
    c(
      '429 with `Retry-After: 0`',
      'Retried at once (< 1 s, although the configured backoff is ≥ 2 s): 0 is a wait of nothing, not a missing header; every item read once',
      faults,
      'retries a 429 with Retry-After: 0 at once, losing and repeating no item',
    ),
    c(
      '429 without `Retry-After`, twice',
      'Exponential backoff (≥ the base delay) before each retry; every item read once',
      faults,
      'backs off on a 429 without Retry-After and then reads every item once',
    ),
    c(
      '429 with `Retry-After: 3600` (longer than the scan may wait, 15 min)',
      'Stops at once (< 5 s) with GRAPH_THROTTLED; the next cycle resumes from the committed watermark',
      e2eFaults,
      'stops at once with GRAPH_THROTTLED when Graph asks for a wait longer than the cycle allows',
    ),
    c(
      'A 429 storm: every request answered 429 (`Retry-After: 0`)',
      'GRAPH_THROTTLED after exactly maxAttempts requests (5 here), not an endless retry loop',
      faults,
      'gives up on a 429 storm with GRAPH_THROTTLED after maxAttempts requests, not retrying forever',
    ),
    c(
      'Many report reads at once',
      'Never more than 5 report requests in any 10 s window at the wire',
      'test/e2e/graph-budgets.test.ts',
      'never lets a ten-second window hold more than five report requests',
    ),
    // Server and network failures.
    c(
      '503 twice in the middle of pagination',
      'Retried; every item read once, in order',
      e2eFaults,
      'retries a 503 in the middle of pagination without losing or repeating an item',
    ),
    c(
      '500, 502 and 504 on successive nextLinks',
      'Each retried; the statuses seen are exactly [500, 502, 504]; every item read once, in order',
      faults,
      'retries a 500, a 502 and a 504 in the middle of pagination without losing or repeating an item',
    ),
    c(
      '503 on every request',
      'GRAPH_UNAVAILABLE after exactly maxAttempts (4 here) requests',
      e2eFaults,
      'gives up with GRAPH_UNAVAILABLE when Graph keeps failing, after a bounded number of attempts',
    ),
    c('A connection reset mid-pagination', 'Retried; every item read once', e2eFaults, 'retries a connection reset'),
    c(
      'A socket that takes a page request and never answers (mid-pagination)',
      'The request times out (300 ms here, 60 s by default) and is sent again; every item read once, the hung page requested exactly twice, all within 5 s',
      faults,
      'asks again for a page whose socket hangs past the request timeout, losing and repeating no item',
    ),
    c(
      'A truncated JSON body and an HTML error page, both with status 200',
      'Each is retried as unreadable, never parsed as an empty page; every item read once',
      e2eFaults,
      'retries a truncated body and an HTML error page served with 200',
    ),
    c(
      'A streamed page whose HTML-with-200 or cut-short body never stops coming back',
      'Asked again up to maxAttempts, then GRAPH_BAD_RESPONSE',
      'src/graph/client-pages.test.ts',
      'asks again for an HTML error page served with 200 and for a body cut short, then gives up with GRAPH_BAD_RESPONSE',
    ),
    // Paging.
    c(
      'An @odata.nextLink that repeats (the same link on every page)',
      'The link is requested once; the second time it appears the listing stops with GRAPH_PAGINATION_LOOP (2 requests, the items of both pages handed out)',
      faults,
      'stops a repeating nextLink with GRAPH_PAGINATION_LOOP after requesting it once',
    ),
    c(
      'A skip token that expires between two pages (400 Directory_ExpiredPageToken)',
      'The listing fails with GRAPH_REQUEST_REJECTED naming Directory_ExpiredPageToken; the partial list is never treated as complete',
      faults,
      'fails the listing with GRAPH_REQUEST_REJECTED naming Directory_ExpiredPageToken instead of calling a partial list complete',
    ),
    c(
      'Empty pages (`value: []`) that still carry a nextLink, in front of the records',
      'The nextLinks are followed to the end; the records behind the empty pages are read',
      faults,
      'follows empty pages that carry a nextLink to the records behind them instead of stopping at the first empty page',
    ),
    // Tokens.
    c(
      'The access token expires mid-run (401 on a nextLink)',
      'Exactly one new token is requested (2 token requests in all) and every item is read once',
      e2eFaults,
      'gets a fresh token once when Graph answers 401 mid-run',
    ),
    c(
      'The token endpoint is unreachable',
      'AUTH_UNAVAILABLE, marked retryable',
      'test/e2e/auth.test.ts',
      'reports an unreachable token endpoint as AUTH_UNAVAILABLE (retryable)',
    ),
    // Bad input rows.
    c('createdDateTime with 0 to 7 fractional digits', 'All read, to the millisecond', values, 'reads 0 to 7 fractional digits'),
    c('A timestamp with an explicit offset', 'The offset is applied', values, 'applies an explicit offset'),
    c('A timestamp without a zone', 'Read as UTC, not local time', values, 'treats a timestamp without a zone as UTC, not local time'),
    c(
      'A sign-in without id, createdDateTime or appId',
      'Quarantined with the reason `missing id, createdDateTime or appId`',
      signIns,
      'quarantines a row without id or time, with a reason',
    ),
    c(
      'Through a whole scan: a sign-in with "" for its IP, key id and thumbprint, and one with id ""',
      'The blank one is judged (a finding with no IP); the one without id is quarantined (quarantined 1); the scan has no errors',
      e2eScan,
      'handles "" and missing fields, and quarantines a record without an id instead of failing',
    ),
    c('An audit row without a time', 'Quarantined', 'src/collect/audits.test.ts', 'quarantines a row without a time'),
    c(
      '`clientCredentialType: unknownFutureValue` (and every other documented value)',
      'Kept as logged',
      signIns,
      'keeps every documented credential type as logged, unknownFutureValue included',
    ),
    c('"" for an absent value', 'Treated as missing', values, 'treats the empty string Graph uses for absent values as missing'),
    c(
      'An IPv4-mapped IPv6 address and a plain IPv6 address',
      '`::ffff:a.b.c.d` becomes IPv4; IPv6 stays IPv6',
      signIns,
      'turns an IPv4-mapped IPv6 address into IPv4 and keeps IPv6 as IPv6',
    ),
    c(
      'Through a whole scan: IPv4-mapped addresses inside and outside the vendor ranges, and an IPv6 address',
      'The mapped inside address is not flagged; the mapped outside one and the IPv6 one are',
      e2eScan,
      'matches IPv4-mapped IPv6 addresses against IPv4 ranges and judges IPv6 on its own',
    ),
    c('A garbage IP address', 'Kept as raw text and never matched against any range', signIns, 'keeps a garbage IP as raw text and never matches it'),
    c(
      'An app name of over 100,000 characters of non-BMP characters (📧), NUL, ANSI escapes and RTL overrides',
      'Processed, not quarantined (newSignIns 1, quarantined 0, no errors); the finding is raised and the text kept byte for byte',
      faults,
      'processes a sign-in whose app name is over 100,000 characters of non-BMP and control characters, keeping it exactly',
    ),
    c(
      'Every sign-in example Microsoft publishes',
      'Each parses or is quarantined with a reason',
      'test/replay/signins.test.ts',
      '%s either parses or is quarantined with a reason',
    ),
  ],
};
