/**
 * The formatting every output shares (issue "Outputs people read": one presentation layer): how a
 * time and an indicator read, whether the reader is in Teams, an email, a terminal, a webhook
 * consumer or the weekly report. Renderers format view models with these; none invents its own.
 */

const ISO = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]00:?00)$/;

/**
 * `2026-11-26T10:42:07.123Z` (or the Date) → `2026-11-26 10:42 UTC`. Undefined for anything that
 * is not a UTC instant: the caller shows it as untrusted text instead of guessing.
 */
export function displayTime(value: Date | string): string | undefined {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return undefined;
    value = value.toISOString();
  }
  const match = ISO.exec(value);
  return match ? `${match[1]} ${match[2]} UTC` : undefined;
}

/**
 * Makes URLs in untrusted text inert the way incident responders write indicators
 * (`https://evil` → `hxxps[:]//evil`, `www.` → `www[.]`): mail and chat clients turn bare URLs into
 * live links, and an attacker-chosen app name must never become one in an alert about that app.
 */
export function defang(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*):\/\//gi, (_m, scheme: string) => `${scheme.replace(/^http/i, 'hxxp')}[:]//`).replace(/\bwww\./gi, 'www[.]');
}
