import { describe, expect, it } from 'vitest';
import { runRules } from '../../src/detect/run.js';
import type { Finding } from '../../src/events.js';
import { defineRule } from '../../src/rules/define.js';
import { RULES } from '../../src/rules/index.js';
import { allowlistFor, allowlistOk, audit, FULL_ACCESS_AS_APP, inventoryApp, MIMECAST_RANGES, signIn, testContext, withApps } from './kit.js';
import type { Rule, RuleInput } from '../../src/rules/types.js';
import { captureLogger } from '../helpers/tenant.js';

const vendorContext = testContext({
  ...withApps(inventoryApp({ mailboxPermissions: [FULL_ACCESS_AS_APP] })),
  ...allowlistFor(allowlistOk(MIMECAST_RANGES, 'Mimecast')),
});

const exploding: Rule = defineRule({
  id: 'test-exploding',
  title: 'Always throws',
  description: 'Detects nothing; throws on every sign-in.',
  severity: 'low',
  mitre: ['T1078.004'],
  falsePositives: ['-'],
  runbook: ['-'],
  status: 'experimental',
  family: 'test-exploding',
  finding: 'event',
  input: 'signIn',
  match({ event }): readonly Finding[] {
    throw new Error(`cannot read ${event.id}`);
  },
  cases: () => [],
});

describe('runRules', () => {
  it("counts a throwing rule, logs it once, and still returns the other rules' findings", () => {
    const { logger, lines } = captureLogger();
    const inputs = [signIn({ id: 's1' }), signIn({ id: 's2' }), signIn({ id: 's3', ipAddress: '205.139.110.9' })];
    const result = runRules([exploding, ...RULES], inputs, vendorContext, logger);

    expect(result.evaluated).toBe(3);
    expect(result.findings.filter((f) => f.ruleId === 'signin-cert-outside-allowlist').map((f) => f.eventIds[0])).toEqual(['s1', 's2']);
    expect(result.errors).toEqual([{ ruleId: 'test-exploding', count: 3, lastError: 'cannot read s3' }]);
    const logged = lines().filter((l) => l.ruleId === 'test-exploding');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 'error', err: { message: 'cannot read s1' } });
  });

  it('hands each rule only inputs of its type', () => {
    const seen: string[] = [];
    const spy = defineRule({ ...exploding, id: 'test-audit-spy', input: 'audit', match: ({ event }) => (seen.push(event.id), []) });
    const result = runRules([spy], [signIn({ id: 's1' }), audit({ id: 'a1' })], testContext(), captureLogger().logger);
    expect(seen).toEqual(['a1']);
    expect(result).toEqual({ findings: [], errors: [], evaluated: 2 });
  });

  it('skips deprecated rules', () => {
    const retired = defineRule({ ...exploding, id: 'test-retired', status: 'deprecated' });
    expect(runRules([retired], [signIn()], testContext(), captureLogger().logger).errors).toEqual([]);
  });

  it('reads inputs lazily from any iterable', () => {
    function* pages(): Generator<RuleInput> {
      yield signIn({ id: 'g1' });
      yield signIn({ id: 'g2', ipAddress: '2a01:111:f400::1' });
    }
    const result = runRules(RULES, pages(), vendorContext, captureLogger().logger);
    expect(result.findings.map((f) => [f.ruleId, f.eventIds[0]])).toEqual([['signin-cert-outside-allowlist', 'g1']]);
  });
});
