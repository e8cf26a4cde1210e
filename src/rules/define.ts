import type { Finding } from '../events.js';
import type { Rule, RuleCases, RuleContext, RuleInput, RuleInputType, RuleMeta } from './types.js';

/** The input variant a rule of input type `T` receives. */
export type InputOf<T extends RuleInputType> = Extract<RuleInput, { type: T }>;

/**
 * The one "nothing found" answer, shared and frozen: rules return it instead of a fresh `[]`, so the
 * millions of sign-ins that match nothing allocate nothing.
 */
export const NO_FINDINGS: readonly Finding[] = Object.freeze([]);

/**
 * A rule as its file writes it: metadata (family and finding kind included — the alert layer reads
 * them instead of guessing from the id), `match` on its own input variant, already narrowed, and
 * its cases as a function of the test kit.
 */
export interface RuleDefinition<T extends RuleInputType> extends RuleMeta {
  input: T;
  match(input: InputOf<T>, context: RuleContext): readonly Finding[];
  cases: RuleCases;
}

/**
 * Turns a typed definition into a catalogue `Rule`: the dispatcher only hands a rule inputs of its
 * type, and the guard here keeps a direct call with the wrong input harmless. Frozen so no caller
 * can change a rule's metadata after the catalogue test has checked it.
 */
export function defineRule<T extends RuleInputType>(definition: RuleDefinition<T>): Rule {
  const typed = definition.match;
  return Object.freeze({
    ...definition,
    match(input: RuleInput, context: RuleContext): readonly Finding[] {
      // TypeScript cannot narrow a generic discriminant; the runtime check is the narrowing.
      return input.type === definition.input ? typed(input as InputOf<T>, context) : NO_FINDINGS;
    },
  });
}
