import { pino, type Logger, type LoggerOptions, type DestinationStream } from 'pino';

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

// A JWT (three base64url segments, the first starting with '{"' encoded) or a PEM private key block.
const JWT_PATTERN = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;
const PEM_KEY_PATTERN = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;
const FORM_SECRET_PATTERN = /(client_secret|client_assertion|access_token|sig)=[^&\s"]+/gi;

/** Removes tokens, private keys and form-encoded secrets from free text (third-party log lines). */
export function scrubSecrets(text: string): string {
  return text.replace(JWT_PATTERN, '[redacted-jwt]').replace(PEM_KEY_PATTERN, '[redacted-private-key]').replace(FORM_SECRET_PATTERN, '$1=[redacted]');
}

export interface CreateLoggerOptions {
  level?: string;
  /** Where records go; defaults to stdout. Tests pass a stream to parse the lines. */
  destination?: DestinationStream;
  /** Extra bindings on every record (e.g. the tenant name). */
  base?: Record<string, unknown>;
  /** Fields computed per record (e.g. the current Azure Functions invocation id). */
  mixin?: () => Record<string, unknown>;
}

/** The one pino factory: same redaction everywhere, errors under `err`. */
export function createLogger(options: CreateLoggerOptions = {}): Logger {
  const pinoOptions: LoggerOptions = {
    level: options.level ?? 'info',
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
    base: { name: 'credwatch', ...(options.base ?? {}) },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    ...(options.mixin ? { mixin: options.mixin } : {}),
  };
  return options.destination ? pino(pinoOptions, options.destination) : pino(pinoOptions);
}
