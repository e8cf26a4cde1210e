import { pino, type Logger, type LoggerOptions, type DestinationStream } from 'pino';
import { redact } from './redact.js';

export type { Logger } from 'pino';

/**
 * Paths pino removes from every record. Secrets should never reach a log call in the first place;
 * this is the second line of defence for objects that carry them (requests, configs, errors).
 */
export const REDACT_PATHS: readonly string[] = [
  'authorization',
  'Authorization',
  '*.authorization',
  '*.Authorization',
  'headers.authorization',
  'req.headers.authorization',
  '*.headers.authorization',
  'clientSecret',
  '*.clientSecret',
  'client_secret',
  'privateKey',
  '*.privateKey',
  'privateKeyPem',
  '*.privateKeyPem',
  'accessToken',
  '*.accessToken',
  'access_token',
  '*.access_token',
  'client_assertion',
  '*.client_assertion',
  'secret',
  '*.secret',
];

export interface CreateLoggerOptions {
  level?: string;
  /** Where records go; defaults to stdout. Tests pass a stream to parse the lines. */
  destination?: DestinationStream;
  /** Extra bindings on every record (e.g. the tenant name). */
  base?: Record<string, unknown>;
  /** Fields computed per record (e.g. the current Azure Functions invocation id). */
  mixin?: () => Record<string, unknown>;
}

/**
 * The one pino factory: same redaction everywhere, errors under `err`. Keys are redacted by path;
 * each finished line also goes through src/redact.ts, because free text (an error's message, its
 * cause, a receiver's echoed answer) can carry a token under no key at all.
 */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const pinoOptions: LoggerOptions = {
    level: options.level ?? 'info',
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
    base: { name: 'credwatch', ...(options.base ?? {}) },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    hooks: { streamWrite: (line) => redact(line) },
    ...(options.mixin ? { mixin: options.mixin } : {}),
  };
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}
