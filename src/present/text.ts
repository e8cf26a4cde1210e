/**
 * Untrusted values made fit to show: an app names itself, and IPs, resources and summaries come
 * from logs an attacker writes into. Every view model (alert-view.ts, digest-view.ts) cleans each
 * such value here exactly once, so no channel needs an escape of its own for them.
 */
import { safeText } from '../render/text.js';
import { defang } from './format.js';

/** Longest app name shown (subject, header, facts); the Entra link carries the full identity. */
export const APP_NAME_MAX = 80;

/** One line of untrusted text: controls and bidi overrides made visible, capped, URLs defanged. */
export function untrusted(value: string, maxLength = APP_NAME_MAX): string {
  return defang(safeText(value, maxLength).trim());
}

/** "a, b, c and 4 more": at most `limit` items, each cleaned, with a count of the rest. */
export function untrustedList(values: readonly string[], limit: number, itemLength: number): string {
  const shown = values.slice(0, Math.max(0, limit)).map((v) => untrusted(v, itemLength));
  const rest = values.length - shown.length;
  if (rest === 0) return shown.join(', ');
  return shown.length > 0 ? `${shown.join(', ')} and ${rest} more` : `${rest} not shown`;
}

/**
 * Keeps the start and the end of a long line and cuts its middle: a summary says what happened
 * first and where from last, so both survive (`Vendor certificate for "…" used from 198.51.100.45`).
 */
export function capMiddle(text: string, maxLength: number): string {
  const chars = Array.from(text);
  if (chars.length <= maxLength) return text;
  const head = Math.ceil((maxLength - 1) / 2);
  const tail = maxLength - 1 - head;
  return `${chars.slice(0, head).join('')}…${tail > 0 ? chars.slice(-tail).join('') : ''}`;
}

/** "1 alert", "3 alerts". */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** Only an https URL is ever linked; anything else (a payload read back from storage is not trusted blindly) is left out. */
export function httpsUrl(value: string): string | undefined {
  if (/\s/.test(value)) return undefined;
  try {
    return new URL(value).protocol === 'https:' ? value : undefined;
  } catch {
    return undefined;
  }
}
