import type { FaultArea } from '../case.js';

const FILE = 'test/faults/concurrency.test.ts';
const RACE = 'test/alerts/deliver-race.test.ts';

export const concurrencyFaults: FaultArea = {
  title: 'Two workers at once',
  intro: 'Two scans of one tenant at once: a CLI next to serve, two containers on one volume, two Function instances.',
  cases: [
    {
      fault: 'Two `credwatch scan` processes started together on one tenant and one SQLite state file, alerts to a webhook.',
      expected:
        'One scans; the other exits 5 with `SCAN_IN_PROGRESS` naming the first one’s pid and lease expiry. Every Idempotency-Key reaches the receiver exactly once; no outbox entry is left pending.',
      test: { file: FILE, name: 'delivers every notification exactly once when two CLI scans share one state file; the second exits 5 naming the first' },
    },
    {
      fault: 'A scan is killed (SIGKILL) while holding its tenant’s lease, and scanned again at once on the same machine.',
      expected:
        'The new scan sees the holder’s pid is gone, takes the lease over instead of waiting out its 5 minutes, and finishes; at most one message repeats.',
      test: { file: FILE, name: 'lets the next scan on the same machine take over the lease of a scan that was killed, instead of waiting for it to expire' },
    },
    {
      fault: 'Two deliverers on two SQLite connections to one file send the same due outbox entries at the same moment.',
      expected: 'Each entry is claimed by one of them and reaches the receiver once.',
      test: { file: RACE, name: 'sends each entry once when two SQLite connections to one file deliver at once' },
    },
    {
      fault: 'Two deliverers on two Azure Table clients (Azurite) send the same due outbox entries at the same moment.',
      expected: 'Each entry is claimed (etag-conditional write) by one of them and reaches the receiver once.',
      test: { file: RACE, name: 'sends each entry once when two Azure Table clients deliver at once' },
    },
  ],
};
