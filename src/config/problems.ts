/**
 * Turning everything wrong with a configuration into one list of `{ path, message }` problems, and
 * that list into one CONFIG_INVALID error. Operators fix a config in one pass when they see every
 * problem at once, each named by where it is (`tenants[1].auth.certificatePath`).
 */
import type { z } from 'zod';
import { CredwatchError } from '../errors.js';

/** One thing wrong with the configuration. */
export interface ConfigProblem {
  /** Where, in the file's own terms: `tenants[1].auth.certificatePath`; `(root)` for the whole file. */
  readonly path: string;
  /** What is expected there, as a sentence fragment that reads after the path. */
  readonly message: string;
}

/** A path as a list of keys and indexes, the way zod reports it. */
export type PathSegments = readonly PropertyKey[];

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `['tenants', 1, 'auth']` → `tenants[1].auth`. */
export function formatPath(path: PathSegments): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'string' && IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(String(segment))}]`;
  }
  return out === '' ? '(root)' : out;
}

/** Collects problems while validation and resolution run, so none stops the others. */
export class ProblemList {
  readonly #problems: ConfigProblem[] = [];
  readonly #paths = new Set<string>();

  add(path: PathSegments, message: string): void {
    const formatted = formatPath(path);
    this.#problems.push({ path: formatted, message });
    this.#paths.add(formatted);
  }

  /** Whether a problem was already reported at exactly this path (used to avoid saying it twice). */
  has(path: PathSegments): boolean {
    return this.#paths.has(formatPath(path));
  }

  get size(): number {
    return this.#problems.length;
  }

  /** Problems grouped by path (numeric-aware, so tenants[2] sorts before tenants[10]), stable within a path. */
  toArray(): ConfigProblem[] {
    const collator = new Intl.Collator('en', { numeric: true });
    return [...this.#problems].sort((a, b) => collator.compare(a.path, b.path));
  }
}

/** Builds the one CONFIG_INVALID error carrying every problem in `details.problems`. */
export function configInvalidError(problems: readonly ConfigProblem[], source: string | undefined): CredwatchError {
  const where = source === undefined ? 'The configuration' : `The configuration in ${source}`;
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  const lines = problems.map((p) => `  - ${p.path}: ${p.message}`);
  return new CredwatchError('CONFIG_INVALID', [`${where} has ${count}:`, ...lines].join('\n'), {
    details: { problems },
  });
}

/**
 * Adds zod's issues to the list. Unknown keys arrive as one issue per object; they are split into one
 * problem per key so each names its own path, and skipped when the inline-secret scan already
 * explained that key.
 */
export function addZodIssues(problems: ProblemList, issues: readonly z.core.$ZodIssue[]): void {
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      // The schema's own error function wrote one line per key, in the order of `keys`.
      const messages = issue.message.split('\n');
      issue.keys.forEach((key, i) => {
        const path = [...issue.path, key];
        if (!problems.has(path)) problems.add(path, messages[i] ?? `unknown key "${key}"`);
      });
    } else {
      problems.add(issue.path, issue.message);
    }
  }
}

/** What a value is, for "expected X, got Y" messages. */
function describe(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'an array';
  if (typeof input === 'object') return 'an object';
  if (typeof input === 'string') return `the string ${JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input)}`;
  return `${typeof input} ${String(input)}`;
}

const quoteAll = (values: readonly unknown[]): string => values.map((v) => JSON.stringify(v)).join(', ');

/**
 * Parse-time error map: zod's defaults ("Invalid input: expected string, received undefined") become
 * messages that say what is expected. Messages set on a schema itself take precedence over this map.
 */
export const errorMap: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `is required (expected ${issue.expected})` : `expected ${issue.expected}, got ${describe(issue.input)}`;
    case 'invalid_union':
      if ('discriminator' in issue && typeof issue.discriminator === 'string' && Array.isArray(issue.options)) {
        // The issue's input is the whole object; what matters is its discriminator key.
        const input: unknown = issue.input;
        const value = input !== null && typeof input === 'object' ? (input as Record<string, unknown>)[issue.discriminator] : undefined;
        const got = value === undefined ? `"${issue.discriminator}" is missing` : `got ${describe(value)}`;
        return `must be one of ${quoteAll(issue.options)} (${got})`;
      }
      return undefined;
    case 'invalid_value':
      return `must be one of ${quoteAll(issue.values)}, got ${describe(issue.input)}`;
    case 'too_small':
      if (issue.origin === 'array') return `must list at least ${String(issue.minimum)} entr${issue.minimum === 1 ? 'y' : 'ies'}`;
      if (issue.origin === 'string') return 'must not be empty';
      return `must be ${issue.inclusive === false ? 'greater than' : 'at least'} ${String(issue.minimum)}`;
    case 'too_big':
      return `must be ${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}`;
    case 'invalid_format':
      // Not echoed: a client secret pasted in place of the client id is a classic mix-up.
      if (issue.format === 'guid') return 'expected a GUID such as 00000000-0000-0000-0000-000000000000';
      if (issue.format === 'email') return `expected an email address, got ${describe(issue.input)}`;
      return undefined;
    default:
      return undefined;
  }
};
