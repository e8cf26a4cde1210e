import type { FaultArea } from '../case.js';

const tls = 'test/faults/tls.test.ts';

export const stateFaults: FaultArea = {
  title: 'State files, file modes and TLS',
  intro: 'A state file that is empty, foreign or corrupt; files other users could read; certificate checks turned off from the environment.',
  cases: [
    {
      fault: '`NODE_TLS_REJECT_UNAUTHORIZED=0` in the CLI’s environment',
      expected: 'TLS_VERIFICATION_DISABLED, exit 2, nothing on stdout; the message says why and that `--insecure-tls-i-know` overrides it',
      test: { file: tls, name: 'the CLI refuses to run with NODE_TLS_REJECT_UNAUTHORIZED=0, exits 2 and says why and how to proceed' },
    },
    {
      fault: '`NODE_TLS_REJECT_UNAUTHORIZED=0` with `--insecure-tls-i-know`',
      expected: 'The command runs, with a warning on stderr that certificate checks are off',
      test: { file: tls, name: 'the CLI runs with --insecure-tls-i-know and warns that certificate checks are off' },
    },
    {
      fault: '`NODE_TLS_REJECT_UNAUTHORIZED` set to anything but `0`',
      expected: 'No refusal: only `0` turns Node’s checks off',
      test: { file: tls, name: 'the CLI runs as usual when NODE_TLS_REJECT_UNAUTHORIZED is anything but 0' },
    },
    {
      fault: '`NODE_TLS_REJECT_UNAUTHORIZED=0` in the Function app',
      expected: 'The invocation fails with TLS_VERIFICATION_DISABLED, logged at error level with the app setting that overrides it',
      test: { file: tls, name: 'the Function app fails the invocation with NODE_TLS_REJECT_UNAUTHORIZED=0 and logs why' },
    },
    {
      fault: '`NODE_TLS_REJECT_UNAUTHORIZED=0` with the app setting `CREDWATCH_ALLOW_INSECURE_TLS=true`',
      expected: 'The check passes: the invocation goes on to load the configuration (and logs a warning once it has a logger)',
      test: { file: tls, name: 'the Function app gets past the check when the app setting CREDWATCH_ALLOW_INSECURE_TLS is true' },
    },
  ],
};
