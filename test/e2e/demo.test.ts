import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo.js';
import { captureLogger } from '../helpers/tenant.js';

describe('npm run demo', () => {
  it('shows the critical vendor-certificate alert, delivers it to the Teams-like receiver and writes the report', { timeout: 60_000 }, async () => {
    let out = '';
    const code = await runDemo({ write: (t) => (out += t), logger: captureLogger('silent').logger });
    expect(code).toBe(0);
    expect(out).toContain('All checks passed.');
    expect(out).toMatch(/^CRITICAL · Vendor certificate used outside its allowed networks$/m);
    expect(out).toMatch(/>> Teams \(local receiver [^)]+\) received an Adaptive Card, \d+ bytes: CRITICAL/);
    expect(out).toMatch(/Events: +12 \(9 succeeded, 3 failed\)/);
    expect(out).toMatch(/contoso-\d{4}-W\d{2}\.html/);
    // The vendor's normal sign-ins raise nothing: the only sign-in alert is the foreign one.
    expect(out.match(/^CRITICAL · /gm)).toHaveLength(1);
  });
});
