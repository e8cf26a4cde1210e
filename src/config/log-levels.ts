/**
 * pino's levels; `silent` turns logging off. In a file of its own so the CLI can offer them as
 * `--log-level` choices without loading the configuration schema (and zod) for `--help`.
 */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];
