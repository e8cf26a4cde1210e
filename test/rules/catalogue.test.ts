import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/rules/index.js';

const SEVERITIES = ['informational', 'low', 'medium', 'high', 'critical'];

describe('detection catalogue', () => {
  it('gives every rule a unique kebab-case id', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it.each(RULES.map((r) => [r.id, r] as const))('%s has the metadata a responder needs', (_id, rule) => {
    expect(rule.title.length).toBeGreaterThan(5);
    expect(rule.description).toMatch(/^Detects /);
    expect(SEVERITIES).toContain(rule.severity);
    expect(rule.mitre.length).toBeGreaterThan(0);
    for (const t of rule.mitre) expect(t).toMatch(/^T\d{4}(\.\d{3})?$/);
    expect(rule.falsePositives.length).toBeGreaterThan(0);
    expect(rule.runbook.length).toBeGreaterThan(0);
    for (const step of rule.runbook) expect(step.trim().length).toBeGreaterThan(10);
    expect(['stable', 'experimental', 'deprecated']).toContain(rule.status);
  });

  it.each(RULES.map((r) => [r.id, r] as const))('%s carries positive and negative cases of its own input type', (_id, rule) => {
    expect(rule.cases.some((c) => c.expect.length > 0)).toBe(true);
    expect(rule.cases.some((c) => c.expect.length === 0)).toBe(true);
    for (const c of rule.cases) expect(c.input.type, c.name).toBe(rule.input);
    const names = rule.cases.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('covers every row of the v1 catalogue', () => {
    const ids = new Set(RULES.map((r) => r.id));
    for (const id of ['signin-cert-outside-allowlist', 'signin-secret-outside-allowlist', 'signin-unknown-credential', 'signin-new-network', 'credential-added', 'credential-added-then-used', 'mailbox-permission-granted']) {
      expect(ids).toContain(id);
    }
  });
});
