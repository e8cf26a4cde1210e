import type { FaultArea } from '../case.js';

const STATE_FILES = 'test/faults/state-files.test.ts';
const tls = 'test/faults/tls.test.ts';

export const stateFaults: FaultArea = {
  title: 'State files, file modes and TLS',
  intro: 'A state file that is empty, foreign or corrupt; files other users could read; certificate checks turned off from the environment.',
  cases: [
    {
      fault: 'A 0-byte `state.db` (a copy or restore that wrote nothing, a full disk)',
      expected:
        '`STATE_CORRUPT` naming the file as empty (0 bytes); the file is not even opened, so nothing appears beside it. Never a fresh start that forgets the watermarks and alerts on the whole lookback again',
      test: { file: STATE_FILES, name: 'refuses a 0-byte state file as empty, naming it, instead of starting over' },
    },
    {
      fault: "`state.path` pointing at another application's SQLite database",
      expected:
        '`STATE_CORRUPT` naming the file and the tables found in it; the file stays byte-identical (not even switched to WAL mode) and gains no credwatch tables',
      test: { file: STATE_FILES, name: 'refuses the SQLite database of another application, naming the file and its tables, and leaves it byte-identical' },
    },
    {
      fault: 'A SQLite database with a valid header and no tables where the state file should be',
      expected:
        '`STATE_CORRUPT`: credwatch creates its tables together with the file, so an existing database without them is replaced state, not a first run; the file stays byte-identical',
      test: { file: STATE_FILES, name: 'refuses a SQLite database without tables instead of filling it as new state' },
    },
    {
      fault: 'A state file written by a newer credwatch (a schema version this build does not know)',
      expected: '`STATE_VERSION_UNSUPPORTED` naming the file, its version and the highest this build understands; the file stays byte-identical',
      test: { file: STATE_FILES, name: 'refuses state written by a newer schema version, naming both versions, and leaves it byte-identical' },
    },
    {
      fault: 'A state file of random bytes',
      expected: '`STATE_CORRUPT` (SQLite: not a database) naming the file; it stays byte-identical',
      test: { file: STATE_FILES, name: 'refuses a state file of random bytes as not a database, naming it, and leaves it byte-identical' },
    },
    {
      fault: 'A state file truncated to half its length',
      expected: '`STATE_CORRUPT` (SQLite: malformed) naming the file; it stays byte-identical',
      test: { file: STATE_FILES, name: 'refuses a truncated state file as damaged, naming it, and leaves it byte-identical' },
    },
    {
      fault: 'No state file at the configured path',
      expected:
        'The only fresh start: the file is built under a temporary name and linked into place, so no process (a second credwatch included) ever sees it half-made or 0 bytes long',
      test: { file: STATE_FILES, name: 'starts afresh only when the state file is missing' },
    },
    {
      fault: 'umask 022 (new files 0644, directories 0755) when credwatch creates its state file',
      expected: '`state.db`, its `-wal` and `-shm` are 0600 and each directory credwatch creates for them 0700; directories that existed keep their mode',
      test: { file: STATE_FILES, name: 'creates the state file, its -wal and -shm 0600 and its directories 0700' },
    },
    {
      fault: 'umask 022 when the jsonl channel creates its alert log',
      expected: '`alerts.jsonl` is 0600 in a directory created 0700; an existing log keeps the mode its owner gave it (a log shipper may be meant to read it)',
      test: { file: STATE_FILES, name: 'creates alerts.jsonl 0600 in a directory it creates 0700, and keeps the mode of an existing log' },
    },
    {
      fault: 'umask 022 when `credwatch report` writes its files',
      expected: 'Every report file (JSON, CSVs, HTML) is 0600 and a report directory it creates 0700',
      test: { file: STATE_FILES, name: 'writes report files 0600 in a report directory it creates 0700' },
    },
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
