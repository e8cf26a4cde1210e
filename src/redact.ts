/**
 * The one redaction of free text: every log line (logging.ts), every channel and Graph error
 * message, and so the outbox's last error and what the CLI prints. Receivers and proxies echo
 * requests back in their error bodies, so a message built from an answer can carry the request's
 * URL token or Authorization header; this removes them by shape, and the configured secrets a
 * caller names by value.
 */

export const REDACTED = '[redacted]';

/**
 * Query and form parameters that carry a credential: `sig` of Workflows and SAS URLs
 * (https://learn.microsoft.com/rest/api/storageservices/create-service-sas), `code` of Azure
 * Functions keys and OAuth authorization codes, OAuth tokens and client credentials, API keys.
 */
const PARAMS = 'sig|signature|code|token|access_token|id_token|refresh_token|client_secret|client_assertion|password|api_key|apikey|api-key|key|sas';
// `name=value` or percent-encoded `name%3Dvalue` (a URL inside another URL's query).
const PARAM_PATTERN = new RegExp(`(?<![\\w$-])(${PARAMS})(=|%3D)[^&\\s"'<>\\\\]+`, 'gi');

/** Header names and JSON keys whose value is a credential (an echoed request, a token answer). */
const FIELDS =
  'access_token|id_token|refresh_token|client_secret|client_assertion|clientSecret|accessToken|password|secret|sig|x-functions-key|api-key|x-api-key|ocp-apim-subscription-key';
// `"name": "value"` (also JSON-escaped inside a log line's string) or `name: value` (a header).
const FIELD_PATTERN = new RegExp(`(?<![\\w-])(\\\\?"?)(${FIELDS})\\1(\\s*:\\s*)(?:(\\\\?")[^"\\\\]*|[^\\s,;}"\\\\]+)`, 'gi');

// An Authorization header's credentials, whatever the scheme.
const SCHEME_PATTERN = /\b(Bearer|Basic|SharedAccessSignature|PoP)\s+[A-Za-z0-9\-._~+/=%&:]{6,}/gi;
// A JWT: three base64url segments, the first an encoded '{"'.
const JWT_PATTERN = /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g;
const PEM_KEY_PATTERN = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g;

/** Known values shorter than this are not searched for: they would mask ordinary words. */
const MIN_KNOWN_LENGTH = 6;

/**
 * Every secret value this process holds (each `Secret` of the configuration registers itself):
 * masked wherever it appears, whoever calls {@link redact}. A client secret has no shape to find it
 * by, and a receiver or proxy that echoes a request can put it in any message.
 */
const held = new Set<string>();

/** Masks `value` in everything redacted from now on (config/secret.ts calls it for each secret). */
export function holdSecret(value: string): void {
  if (value.length >= MIN_KNOWN_LENGTH) held.add(value);
}

/**
 * `text` without credentials: tokens, keys and signatures found by shape, every secret the process
 * holds (holdSecret), and every value in `known` (such as the parts of a webhook URL) wherever it appears.
 */
export function redact(text: string, known: readonly string[] = []): string {
  let out = text;
  // Longest first, so a whole URL goes before its query value leaves a half-masked URL behind.
  for (const value of [...known, ...held].sort((a, b) => b.length - a.length)) if (value.length >= MIN_KNOWN_LENGTH) out = out.split(value).join(REDACTED);
  return out
    .replace(PEM_KEY_PATTERN, '[redacted-private-key]')
    .replace(JWT_PATTERN, '[redacted-jwt]')
    .replace(SCHEME_PATTERN, `$1 ${REDACTED}`)
    .replace(PARAM_PATTERN, `$1$2${REDACTED}`)
    .replace(
      FIELD_PATTERN,
      (_m, quote: string, name: string, colon: string, valueQuote: string | undefined) => `${quote}${name}${quote}${colon}${valueQuote ?? ''}${REDACTED}`,
    );
}

/**
 * The parts of a configured URL that are secret on their own, for {@link redact}'s `known`: the URL,
 * its userinfo and query values, and its path, which identifies the endpoint (a Workflows URL
 * carries the flow's id there). An unparsable URL is hidden whole.
 */
export function urlSecrets(url: string): string[] {
  const parts = [url];
  try {
    const u = new URL(url);
    if (u.pathname.length > 1) parts.push(`${u.pathname}${u.search}`, u.pathname);
    if (u.search.length > 1) parts.push(u.search.slice(1));
    if (u.password) parts.push(u.password);
    for (const value of u.searchParams.values()) parts.push(value, encodeURIComponent(value));
  } catch {
    // Config validation guarantees a URL; the string itself is already in the list.
  }
  return parts;
}
