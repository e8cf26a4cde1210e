import type { FaultArea } from '../case.js';

const file = 'test/faults/cli.test.ts';

export const cliFaults: FaultArea = {
  title: 'Command line misuse',
  intro: 'Unknown flags and commands, bad durations and levels, JSON output, hostile config keys, missing files.',
  cases: [
    {
      fault: 'An option the command does not have (`scan --bogus`)',
      expected: 'Exit 2 (not 1), the unknown option named and the command’s options listed',
      test: { file, name: 'exits 2 on an unknown flag and lists the options the command has' },
    },
    {
      fault: 'A mistyped command (`scna`)',
      expected: 'Exit 2, the unknown command named and every command listed',
      test: { file, name: 'exits 2 on an unknown command and lists the commands there are' },
    },
    {
      fault: '`status --stale-after abc` (or `1x`, `0`)',
      expected: 'Exit 2 naming the forms accepted (`90m`, `2h`, `1d`, plain minutes); never NaN, which made nothing overdue',
      test: { file, name: 'exits 2 on a --stale-after that is not a duration, naming the forms it accepts' },
    },
    {
      fault: '`--stale-after` as plain minutes (`90`) or with a unit (`1h`, `1d`) against a scan two hours old',
      expected: 'Overdue (exit 1) exactly when the limit is shorter than two hours: a plain number still counts minutes',
      test: { file, name: 'counts a tenant overdue by --stale-after in minutes when plain, or in the unit given' },
    },
    {
      fault: '`--log-level bogus`',
      expected: 'Exit 2 listing the levels; never an INTERNAL error from the logger',
      test: { file, name: 'exits 2 on a --log-level that does not exist, naming the levels' },
    },
    {
      fault: '`--version`',
      expected: 'The package’s version on stdout, nothing on stderr, exit 0',
      test: { file, name: 'prints the package version with --version and exits 0' },
    },
    {
      fault: '`scan --json` with the stdout alert channel configured',
      expected: 'stdout is one JSON document; the channel’s alert text goes to stderr',
      test: { file, name: 'prints only JSON on stdout with scan --json; the stdout channel writes its alerts to stderr' },
    },
    {
      fault: '`__proto__`, `constructor` or `prototype` keys in the config, at any depth',
      expected: 'CONFIG_INVALID (exit 2) naming each path; removed before anything walks or copies the input, so no prototype is touched',
      test: { file, name: 'refuses __proto__, constructor and prototype keys anywhere in the config with CONFIG_INVALID and their paths' },
    },
    {
      fault: 'A vendor’s allowlist file that does not exist, at config load and in `doctor`',
      expected: 'CONFIG_INVALID (exit 2) at `vendors[i].allowedRanges[j].path`, naming the vendor and the absolute path',
      test: { file, name: 'refuses a config whose allowlist file is missing, naming the vendor and the path' },
    },
    {
      fault: 'An allowlist file with no valid range, in `doctor`',
      expected: 'A failed check naming the vendor and the file (exit 1), the tenant checks still run',
      test: { file, name: 'doctor fails the check of an allowlist file that holds no valid range, naming the vendor and the path' },
    },
  ],
};
