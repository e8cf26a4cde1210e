import { describe, expect, it } from 'vitest';
import { runDemo } from '../../src/demo.js';
import { captureLogger } from '../helpers/tenant.js';

describe('npm run demo', () => {
  it(
    'shows the critical vendor-certificate alert, delivers it to the Teams-like receiver, follows it with its blast radius and writes the report',
    { timeout: 60_000 },
    async () => {
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
      // Its first notification says the blast radius is being asked; the second scan sends it as one
      // update, to stdout and to Teams, naming the mailboxes read from the foreign addresses.
      const first = out.slice(out.search(/^CRITICAL · Vendor certificate/m));
      expect(first).toMatch(/Blast radius: +being determined: a Purview audit log query/);
      expect(out.match(/^Update: CRITICAL · Vendor certificate used outside its allowed networks$/gm)).toHaveLength(1);
      const update = out.slice(out.search(/^Update: CRITICAL · /m));
      expect(update).toMatch(/New since last notification: +blast radius known \(mailboxes read\)/);
      expect(update).toMatch(/Blast radius: +7 mailboxes read from 198\.51\.100\.43 and 2001:db8:bad:1::46 between \d\d:\d\d and \d\d:\d\d UTC/);
      expect(update).toMatch(/Mailboxes read: +ceo@contoso\.onmicrosoft\.com, cfo@contoso\.onmicrosoft\.com, .*payroll@contoso\.onmicrosoft\.com$/m);
      expect(update).toMatch(/By address: +198\.51\.100\.43: 6 mailboxes, 2001:db8:bad:1::46: 2 mailboxes/);
      expect(out).toMatch(/>> Teams \(local receiver [^)]+\) received an Adaptive Card, \d+ bytes: Update: CRITICAL · Vendor certificate/);
      expect(out).toMatch(/Blast radius: 0 queries opened, 1 polled; alerts: 1 known, 0 unknown, 0 pending/);
    },
  );
});
