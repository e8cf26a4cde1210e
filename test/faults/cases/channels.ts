import type { FaultArea, FaultCase } from '../case.js';

const file = 'test/faults/channels.test.ts';
const entry = (fault: string, expected: string, name: string): FaultCase => ({ fault, expected, test: { file, name } });

export const channelFaults: FaultArea = {
  title: 'Hostile and failing receivers',
  intro: 'Teams, webhook and email receivers that redirect, echo secrets, fail, throttle or time out.',
  cases: [
    entry(
      'A webhook receiver answers 302 to another server',
      'The redirect is not followed; the target receives nothing; the outbox entry is failed, not sent, with CHANNEL_REDIRECTED naming the Location host only',
      'refuses a 302 from the webhook receiver: the redirect target gets nothing, the entry is failed and the error names only its host',
    ),
    entry(
      'A Teams Workflows URL answers 307 (which would re-post the body) to another server',
      'Nothing is re-posted; every alert is failed with CHANNEL_REDIRECTED naming the target host',
      'refuses a 307 from the Teams receiver without re-posting the alert to the redirect target',
    ),
    entry(
      'Teams and webhook receivers answer 400/500 echoing the request: URL with `sig`/token, headers',
      "The Teams `sig`, the webhook URL token and signing key appear in no log line, scan summary or byte of state.db; the echo is kept, redacted, as the entry's last error",
      'keeps the Teams sig, the webhook URL token and its signing key out of logs, the summary and state.db when receivers echo the request',
    ),
    entry(
      'Graph answers 503 with an error message echoing the request, Authorization header included',
      'The bearer token appears in no log line (the error and its cause), scan summary or state.db; the scan records GRAPH_UNAVAILABLE',
      'keeps the bearer token out of logs, the summary and state.db when Graph answers 503 echoing the Authorization header',
    ),
    entry(
      'A webhook receiver answers 500 with a 200 MB body',
      'At most 64 KiB is read, then the connection is dropped: the server got ~4 MB into loopback socket buffers, not 200 MB; the error quotes 300 characters',
      'reads at most 64 KiB of a 200 MB error body and hangs up, without the body growing memory',
    ),
    entry(
      'A webhook receiver answers 202 with an endless body',
      'The alert is accepted after at most 64 KiB is read; the connection is dropped instead of read forever',
      'reads at most 64 KiB of an endless accept body, marks the alert accepted and hangs up',
    ),
    {
      fault: 'A receiver or proxy echoes the client secret in its answer (a secret with no recognisable shape)',
      expected: 'Masked by value in every log line, error and stored message: each configured Secret registers itself with the one redaction function',
      test: { file: 'src/redact.test.ts', name: 'masks a client secret by value wherever it appears, with no shape to find it by, once the config holds it' },
    },
  ],
};
