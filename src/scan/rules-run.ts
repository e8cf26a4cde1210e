import type { Finding } from '../events.js';
import type { Logger } from '../logging.js';
import { runRules } from '../detect/run.js';
import type { Rule, RuleContext, RuleInput } from '../rules/types.js';

/** Rule errors across the pages of one scan, merged by rule. */
export class RuleErrors {
  private readonly byRule = new Map<string, { count: number; lastError: string }>();

  add(errors: ReadonlyArray<{ ruleId: string; count: number; lastError: string }>): void {
    for (const e of errors) {
      const prev = this.byRule.get(e.ruleId);
      this.byRule.set(e.ruleId, { count: (prev?.count ?? 0) + e.count, lastError: e.lastError });
    }
  }

  list(): Array<{ ruleId: string; count: number; lastError: string }> {
    return [...this.byRule].map(([ruleId, e]) => ({ ruleId, ...e }));
  }
}

export function judge(rules: readonly Rule[], inputs: Iterable<RuleInput>, context: RuleContext, logger: Logger, errors: RuleErrors): Finding[] {
  const result = runRules(rules, inputs, context, logger);
  errors.add(result.errors);
  return result.findings;
}
