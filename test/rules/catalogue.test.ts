import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStateRule, ruleFamily } from '../../src/alerts/group.js';
import { packageRoot } from '../../src/package-root.js';
import { RULES, ruleById } from '../../src/rules/index.js';
import { kit } from './kit.js';

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
    expect(['event', 'state']).toContain(rule.finding);
  });

  it.each(RULES.map((r) => [r.id, r] as const))('%s carries positive and negative cases of its own input type', (_id, rule) => {
    const cases = rule.cases(kit);
    expect(cases.some((c) => c.expect.length > 0)).toBe(true);
    expect(cases.some((c) => c.expect.length === 0)).toBe(true);
    for (const c of cases) expect(c.input.type, c.name).toBe(rule.input);
    const names = cases.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('keeps every rule in the file named after its id, where docs/rules.md says its cases are', async () => {
    const files = new Set(await readdir(join(packageRoot(), 'src', 'rules')));
    for (const rule of RULES) expect(files, rule.id).toContain(`${rule.id}.ts`);
  });

  it('keeps every id it ever shipped, a retired one as deprecated, so stored alerts and suppressions that name it still resolve', () => {
    const SHIPPED = [
      'signin-cert-outside-allowlist',
      'signin-secret-outside-allowlist',
      'signin-federated-outside-allowlist',
      'signin-other-credential-outside-allowlist',
      'signin-unknown-credential',
      'signin-new-network',
      'credential-added-then-used',
      'credential-added',
      'credential-added-diff',
      'mailbox-permission-granted',
      'mailbox-permission-granted-diff',
      'posture-credential-on-third-party-sp',
      'posture-mailbox-app-without-allowlist',
      'posture-weak-certificate',
      'posture-secret-on-mailbox-app',
      'posture-shared-certificate',
      'posture-credential-long-lived',
      'posture-credential-expiring',
      'posture-credential-expired',
      'collection-failing',
    ];
    for (const id of SHIPPED) expect(ruleById(id), id).toBeDefined();
  });
});

describe('alert family and finding kind', () => {
  it('names a family that is a rule of the catalogue, of the same finding kind', () => {
    for (const rule of RULES) {
      const head = ruleById(rule.family);
      expect(head, rule.id).toBeDefined();
      expect(head?.finding, rule.id).toBe(rule.finding);
    }
  });

  it("lets the inventory-diff rules share the audit-log rule's alerts and nothing else share one", () => {
    const shared = RULES.filter((r) => r.family !== r.id).map((r) => [r.id, r.family]);
    expect(shared).toEqual([
      ['credential-added-diff', 'credential-added'],
      ['mailbox-permission-granted-diff', 'mailbox-permission-granted'],
    ]);
  });

  it('makes the posture rules, and only they, state findings', () => {
    for (const rule of RULES) expect(rule.finding === 'state', rule.id).toBe(rule.id.startsWith('posture-'));
  });

  it('is what the alert layer groups by, so every stored alert id stays what the id spelling used to give', () => {
    // The spelling rules group.ts applied before the metadata existed: changing a family would change alert ids.
    for (const rule of RULES) {
      expect(ruleFamily(rule.id), rule.id).toBe(rule.id.endsWith('-diff') ? rule.id.slice(0, -'-diff'.length) : rule.id);
      expect(isStateRule(rule.id), rule.id).toBe(rule.id.startsWith('posture-'));
    }
  });

  it('treats an id the catalogue never had as its own family of events', () => {
    expect(ruleFamily('test-rule-diff')).toBe('test-rule-diff');
    expect(isStateRule('posture-from-elsewhere')).toBe(false);
  });
});
