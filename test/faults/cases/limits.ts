import type { FaultArea } from '../case.js';

const LIMITS = 'test/faults/limits.test.ts';

export const sizeLimits: FaultArea = {
  title: 'Unbounded sizes and endless work',
  intro: 'A Graph page, a receiver answer or a chain of pages that never ends must hit a cap with a clear error, never exhaust memory or hang.',
  cases: [
    {
      fault: 'Graph (or something in front of it) streams a 200 MB page',
      expected:
        '`GRAPH_RESPONSE_TOO_LARGE` after 64 MiB, read once and never again; the inventory is reported as not collected and the scan finishes (it was 930 MB of RSS before the cap)',
      test: { file: LIMITS, name: 'stops reading a 200 MB Graph page at the 64 MiB cap and reports the inventory as not collected' },
    },
    {
      fault: 'A Graph answer that declares a Content-Length over the cap',
      expected: '`GRAPH_RESPONSE_TOO_LARGE` naming the declared size, before its body is read',
      test: { file: LIMITS, name: 'refuses a Graph page whose Content-Length is over the cap before reading its body' },
    },
    {
      fault: 'A collection whose every page carries a new nextLink',
      expected: '`GRAPH_TOO_MANY_PAGES` at the page limit (10,000 by default): exactly that many requests, the source reported as not collected',
      test: { file: LIMITS, name: 'stops an endless chain of fresh nextLinks at the page limit and reports the inventory as not collected' },
    },
    {
      fault: 'Graph answers with a 307 redirect to another address',
      expected:
        'Not followed (the bearer token is never sent elsewhere): the request fails as rejected with the status, the source is reported as not collected',
      test: { file: LIMITS, name: 'never follows a redirect from Graph: the bearer token goes nowhere else' },
    },
    {
      fault: 'A tenant so slow that the scan would outlive the Function timeout',
      expected:
        'Past `collection.maxRunMinutes` + 2 min every Graph read of the scan fails with `SCAN_DEADLINE`; the stages not read are reported as failed, and the scan still commits, delivers and returns its summary',
      test: { file: LIMITS, name: 'stops reading Graph at the hard deadline, reports the stages not read, and still finishes the scan' },
    },
  ],
};
