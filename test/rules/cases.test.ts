import { describe, expect, it } from 'vitest';
import { SEVERITY_ORDER } from '../../src/events.js';
import { RULES } from '../../src/rules/index.js';
import { kit, testContext } from './kit.js';

// The one place the kit meets the catalogue: each rule's cases are built here, never in production.
const CASES = RULES.flatMap((rule) => rule.cases(kit).map((c) => [rule.id, c.name, rule, c] as const));

describe('every rule case', () => {
  it.each(CASES)('%s: %s', (_id, _name, rule, c) => {
    const findings = rule.match(c.input, testContext(c.context));
    expect(findings.map((f) => f.severity)).toEqual(c.expect);
    for (const f of findings) {
      expect(f.ruleId).toBe(rule.id);
      expect(SEVERITY_ORDER[f.severity]).toBeLessThanOrEqual(SEVERITY_ORDER[rule.severity]);
      expect(f.summary.length).toBeGreaterThan(10);
      expect(f.eventIds.length).toBeGreaterThan(0);
      expect(f.tenant).toBe('contoso.onmicrosoft.com');
      // Details travel to JSON sinks: no undefined, no objects.
      for (const value of Object.values(f.details)) expect(['string', 'number', 'boolean', 'object']).toContain(typeof value);
      for (const value of Object.values(f.details)) if (typeof value === 'object') expect(value).toBeNull();
    }
  });

  it('is deterministic: the same input and context give the same findings', () => {
    for (const rule of RULES) {
      for (const c of rule.cases(kit)) expect(rule.match(c.input, testContext(c.context))).toEqual(rule.match(c.input, testContext(c.context)));
    }
  });

  it('ignores inputs of another type when called directly', () => {
    const signInRule = RULES.find((r) => r.input === 'signIn');
    const postureCase = RULES.find((r) => r.input === 'posture')?.cases(kit)[0];
    expect(signInRule && postureCase ? signInRule.match(postureCase.input, testContext(postureCase.context)) : undefined).toEqual([]);
  });
});
