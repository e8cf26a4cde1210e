import type { Finding } from '../events.js';
import type { Logger } from '../logging.js';
import { runRules } from '../detect/run.js';
import type { Rule, RuleContext, RuleInput } from '../rules/types.js';

/** How often one rule threw in a scan, and its last error (a rule that throws is logged and counted; the others still run). */
export interface RuleErrorCount {
  ruleId: string;
  count: number;
  lastError: string;
}

/** Rule errors across the pages of one scan, merged by rule. */
export class RuleErrors {
  private readonly byRule = new Map<string, { count: number; lastError: string }>();

  /** Adds counts rule by rule; the newest error text wins. */
  add(errors: readonly RuleErrorCount[]): void {
    for (const e of errors) {
      const prev = this.byRule.get(e.ruleId);
      this.byRule.set(e.ruleId, { count: (prev?.count ?? 0) + e.count, lastError: e.lastError });
    }
  }

  /** Per rule, in the order each first failed. */
  list(): RuleErrorCount[] {
    return [...this.byRule].map(([ruleId, e]) => ({ ruleId, ...e }));
  }
}

/** Runs the rules over some inputs, adding their errors to `errors`; returns the findings. */
export function judge(rules: readonly Rule[], inputs: Iterable<RuleInput>, context: RuleContext, logger: Logger, errors: RuleErrors): Finding[] {
  const result = runRules(rules, inputs, context, logger);
  errors.add(result.errors);
  return result.findings;
}
