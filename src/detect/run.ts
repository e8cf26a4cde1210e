/**
 * Runs the rule catalogue over normalized inputs. A scan calls this page by page with up to millions
 * of sign-ins, so the loop allocates nothing per input beyond the findings themselves: rules are
 * indexed by input type once per rule list, and errors are tracked only when a rule throws.
 */
import type { Finding } from '../events.js';
import type { Logger } from '../logging.js';
import type { Rule, RuleContext, RuleInput, RuleInputType } from '../rules/types.js';

/** One rule that threw during a run: how often, and the last message (the first is logged with its stack). */
export interface RuleError {
  ruleId: string;
  count: number;
  lastError: string;
}

export interface RuleRunResult {
  findings: Finding[];
  /** One entry per rule that threw, for the scan summary; empty when all rules ran cleanly. */
  errors: RuleError[];
  /** Inputs read (each evaluated by every rule of its type). */
  evaluated: number;
}

type RuleIndex = Readonly<Record<RuleInputType, readonly Rule[]>>;

// Keyed by the list itself: the scan passes the same catalogue for every page.
const indexes = new WeakMap<readonly Rule[], RuleIndex>();

/** The rules of each input type, deprecated ones left out (they stay in the catalogue, never run). */
export function indexRules(rules: readonly Rule[]): RuleIndex {
  let index = indexes.get(rules);
  if (index) return index;
  const byType: Record<RuleInputType, Rule[]> = { signIn: [], audit: [], inventoryChange: [], posture: [], collectionHealth: [] };
  for (const rule of rules) if (rule.status !== 'deprecated') byType[rule.input].push(rule);
  index = Object.freeze(byType);
  indexes.set(rules, index);
  return index;
}

/**
 * Every rule of the input's type over every input. A rule that throws is logged once per run (with
 * the error) and counted; the other rules, and the same rule on later inputs, keep running — one bad
 * rule must not blind the scan.
 */
export function runRules(rules: readonly Rule[], inputs: Iterable<RuleInput>, context: RuleContext, logger: Pick<Logger, 'error'>): RuleRunResult {
  const index = indexRules(rules);
  const findings: Finding[] = [];
  let errors: Map<string, RuleError> | undefined;
  let evaluated = 0;
  for (const input of inputs) {
    evaluated++;
    for (const rule of index[input.type]) {
      try {
        const found = rule.match(input, context);
        for (const finding of found) findings.push(finding);
      } catch (err: unknown) {
        errors ??= new Map();
        const lastError = err instanceof Error ? err.message : String(err);
        const known = errors.get(rule.id);
        if (known) {
          known.count++;
          known.lastError = lastError;
        } else {
          errors.set(rule.id, { ruleId: rule.id, count: 1, lastError });
          logger.error({ err, ruleId: rule.id, inputType: input.type }, 'detection rule failed; the other rules keep running');
        }
      }
    }
  }
  return { findings, errors: errors ? [...errors.values()] : [], evaluated };
}
