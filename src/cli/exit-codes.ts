/**
 * Process exit codes, stable for scripts and schedulers. Documented in the README.
 */
import type { ErrorCode } from '../errors.js';

export const EXIT = Object.freeze({
  /** Everything worked and nothing needs attention. */
  OK: 0,
  /** A tenant or source failed (auth, Graph, network); details are printed and logged. */
  ERROR: 1,
  /** The configuration, the command line or the environment (certificate checks turned off) is wrong. */
  CONFIG: 2,
  /** `scan` raised at least one alert. */
  ALERTS: 3,
  /** The run finished but some data could not be collected: treat it as unknown, not clean. */
  INCOMPLETE: 4,
  /** `scan` did not run for a tenant because another process was scanning it (SCAN_IN_PROGRESS). */
  IN_PROGRESS: 5,
});

/** The exit code of a command that failed with `code`: 2 when the operator must change how it is run, 1 otherwise. */
export function exitCodeOf(code: ErrorCode): number {
  return code.startsWith('CONFIG_') || code === 'TLS_VERIFICATION_DISABLED' ? EXIT.CONFIG : EXIT.ERROR;
}
