import type { FaultArea, FaultCase } from '../case.js';

const steps = 'test/faults/crashes.test.ts';
const c = (fault: string, expected: string, file: string, name: string): FaultCase => ({ fault, expected, test: { file, name } });

export const crashFaults: FaultArea = {
  title: 'Crashes at every step',
  intro: 'The process killed between any two steps of a scan.',
  cases: [
    c(
      'The scan dies after reading a page, before each of its window commits in turn (findings, outbox rows and watermark not yet written)',
      'The next scan (a new SQLite connection, after the dead lease ran out) ends with exactly the alerts and counts of an uninterrupted run, every alert delivered, at most one twice, and no errors',
      steps,
      'loses and repeats nothing when it dies after reading a page, before each window commit (watermark not yet written)',
    ),
    c(
      'The scan dies right after each of its window commits in turn (after the outbox insert, before anything is sent)',
      'The next scan ends with exactly the alerts and counts of an uninterrupted run and sends every queued alert; at most one is delivered twice; no errors',
      steps,
      'loses and repeats nothing when it dies right after each window commit (findings, outbox rows and watermark written, nothing sent)',
    ),
    c(
      'SIGKILL of a writer process at random moments, including during the watermark write of a commit (SQLite)',
      'integrity_check ok; every window whole or absent (seen ids, findings, outbox rows, aggregate counts match the watermark); every acknowledged commit kept',
      'test/state/sqlite-crash.test.ts',
      'keeps every window whole and every acknowledged commit after SIGKILLs at random moments',
    ),
    c(
      'A power cut after each single write of a window commit in turn, the watermark and outbox writes included (Azure Table)',
      'Two new processes see the window entirely absent up to the journal write and entirely present after it, counted once; no journal row left; the failing commit reports STATE_UNAVAILABLE',
      'test/state/azure-table-crash.test.ts',
      'holds the window whole or not at all after a crash at any write of its commit, and counts it once',
    ),
    c(
      '`credwatch scan` SIGKILLed four times at points spread over a run (start-up, inventory, audits, between sign-in pages and commits), then run to the end',
      'The same stored alerts as an uninterrupted run; every alert delivered; at most one repeat delivery per kill',
      'test/e2e/crash.test.ts',
      'loses nothing and duplicates nothing: the same alerts as an uninterrupted run, at most one repeat delivery per kill',
    ),
    c(
      'The scan dies after the channel accepted an alert, before it was marked sent (in a full scan)',
      'The next scan sends that alert once more (exactly one duplicate) and every other alert once',
      steps,
      'sends an alert the channel accepted but the dead scan never marked sent once more, and every other alert once',
    ),
    c(
      'The deliverer dies between "channel accepted" and "marked sent"',
      "The alert is held back while the dead sender's claim lasts, re-sent once after it ran out, and never again; other entries go at once",
      'test/alerts/deliver.test.ts',
      're-sends that alert once its claim ran out, and never again',
    ),
    c(
      'The channel is down for two hours across three scans (503, then 429 with Retry-After 60, then 503)',
      'Nothing sent, nothing failed, every entry retrying; when it is back every alert is delivered exactly once (unique idempotency keys) and no entry stays pending',
      'test/e2e/delivery.test.ts',
      'delivers every alert exactly once after the receiver comes back, and a 400 is failed and visible',
    ),
    c(
      'The channel answers 429 with Retry-After 120 s',
      'The entry stays pending (attempts 1, nextAttemptAt +120 s, lastError CHANNEL_UNAVAILABLE); not sent a minute later, sent once after two',
      'test/alerts/deliver.test.ts',
      'keeps a retryable failure pending until the Retry-After the channel reported',
    ),
    c(
      'A webhook answers 429 with Retry-After as an HTTP-date',
      'The wait until that date is passed on to the outbox',
      'test/alerts/webhook.test.ts',
      'honours a 429 Retry-After given as an HTTP-date',
    ),
    c(
      'A Teams receiver answers 400',
      'CHANNEL_REJECTED with the reason, without the signed URL; not retried',
      'test/alerts/teams.test.ts',
      'treats 400 as rejected, with the reason and without the signed URL',
    ),
    c(
      'A webhook answers 404 to every alert of a scan',
      'Every entry failed (sent 0, retrying 0) with CHANNEL_REJECTED naming 404; the next scan posts nothing more',
      steps,
      'fails every alert permanently on a webhook 404, with CHANNEL_REJECTED naming the status, and never posts them again',
    ),
    c(
      'A receiver takes the alert but never answers (accepted, then a timeout)',
      'CHANNEL_UNAVAILABLE, entries stay pending (sent 0, failed 0); the next delivery re-sends each with the same Idempotency-Key, so the receiver can drop the copy, and nothing stays pending',
      steps,
      'keeps an alert pending when the receiver takes it but never answers, and re-sends it with the same idempotency key',
    ),
  ],
};
