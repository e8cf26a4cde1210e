/**
 * What reading one allowlist source produced, shared by the readers (local, URL, named location)
 * and the resolver that turns outcomes into matchers and a report.
 */
import type { AllowlistSourceStatus } from '../contract.js';
import { CredwatchError, toCredwatchError } from '../errors.js';
import type { BroadSourceReport } from './broad-sources.js';
import type { ParsedCidr } from './cidr.js';

/** `ok`: current data; `stale`: an old cached copy is all there is; `failed`: nothing usable. */
export type { AllowlistSourceStatus } from '../contract.js';

/** One source's result. A usable outcome (`ok`/`stale`) always holds at least one range. */
export interface SourceOutcome {
  status: AllowlistSourceStatus;
  ranges: ParsedCidr[];
  /** When the data was fetched (URL, named location); undefined for configuration. */
  fetchedAt?: Date;
  /** Why it failed, or why a cached copy was used instead of a fresh one. */
  error?: CredwatchError;
  warnings: string[];
  /** Set when the ranges were broader than the limits (refused) or the defaults (accepted anyway). */
  broad?: BroadSourceReport;
}

/** How many invalid entries are spelled out before "and N more", so one bad list cannot flood a report. */
export const MAX_LISTED_PROBLEMS = 10;

/** The first problems, and a count of the rest. */
export function listProblems(problems: readonly string[]): string[] {
  if (problems.length <= MAX_LISTED_PROBLEMS) return [...problems];
  return [...problems.slice(0, MAX_LISTED_PROBLEMS), `… and ${problems.length - MAX_LISTED_PROBLEMS} more`];
}

/** A failed outcome; anything thrown is wrapped so callers can branch on `code`. */
export function failed(error: unknown, warnings: string[] = []): SourceOutcome {
  return { status: 'failed', ranges: [], error: toCredwatchError(error), warnings };
}

/** Lines of a text list as entries: `#` starts a comment, blank lines are skipped, labels carry line numbers. */
export function listEntries(text: string): { text: string; label: string }[] {
  const entries: { text: string; label: string }[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    const hash = line.indexOf('#');
    const content = (hash >= 0 ? line.slice(0, hash) : line).trim();
    if (content !== '') entries.push({ text: content, label: `line ${index + 1}` });
  });
  return entries;
}

/** The error for a source that yielded nothing usable. */
export function noRanges(what: string, problems: readonly string[] = []): CredwatchError {
  const detail = problems.length > 0 ? `; invalid entries:\n  - ${listProblems(problems).join('\n  - ')}` : '';
  return new CredwatchError('ALLOWLIST_SOURCE_FAILED', `${what} holds no valid range${detail}`, { details: { problems: listProblems(problems) } });
}
