/**
 * The alert email as a reader's mail client draws it: the HTML of a sendMail request opened in
 * headless Chromium at a desktop 1280 px and a phone's 420 px. Screenshots go to
 * test-output/email/ for a person to look at.
 */
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAlertMail, buildDigestMail } from '../../src/alerts/channels/email.js';
import { HAVE_CHROMIUM, launchChromium, screenshotPath, SKIP_NOTE } from '../helpers/chromium.js';
import { alert, HOSTILE, longNameAlert } from './card-fixtures.js';

const IN_PAGE = fileURLToPath(new URL('./in-page.js', import.meta.url));
// IPv4, IPv6 (with `::`), GUIDs and the times credwatch shows: tokens a reader copies whole.
const TOKENS = String.raw`\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f]{1,4}(?::[0-9a-f]{0,4}){2,7}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC`;

interface Measured {
  found: Array<{ token: string; lines: number }>;
  text: string;
  overflowing: string[];
  pageWidth: number;
}

const MAILS = {
  alert: buildAlertMail(longNameAlert('high'), ['soc@contoso.com']).message.body.content,
  hostile: buildAlertMail(alert({ app: { ...alert().app, displayName: `${HOSTILE} ${'A'.repeat(200)}` }, tenant: HOSTILE }), ['soc@contoso.com']).message.body
    .content,
  digest: buildDigestMail(
    Array.from({ length: 12 }, (_, i) => longNameAlert(i % 3 === 0 ? 'critical' : 'medium')).map((a, i) => ({ ...a, alertId: `alert-${i}` })),
    ['soc@contoso.com'],
  ).message.body.content,
};

let browser: Browser;
let page: Page;

beforeAll(async () => {
  if (!HAVE_CHROMIUM) return;
  browser = await launchChromium();
  page = await browser.newPage();
  // An email loads nothing: any request the HTML makes fails the test through the route.
  await page.route('**/*', (route) => route.abort());
});

afterAll(async () => {
  await browser?.close();
});

async function open(html: string, width: number, name: string): Promise<Measured> {
  await page.setViewportSize({ width, height: 900 });
  await page.setContent(html);
  await page.addScriptTag({ path: IN_PAGE });
  await page.screenshot({ path: screenshotPath('email', `${name}-${width}`), fullPage: true });
  return (await page.evaluate(`tokenLines(${JSON.stringify(TOKENS)})`)) as Measured;
}

describe(`alert email rendered in Chromium${SKIP_NOTE}`, () => {
  for (const width of [1280, 420]) {
    for (const [name, html] of Object.entries(MAILS)) {
      it.skipIf(!HAVE_CHROMIUM)(`${name} at ${width} px: no sideways scrolling, every IP, id and time on one line`, async () => {
        const shown = await open(html, width, name);
        expect(shown.pageWidth).toBeLessThanOrEqual(width);
        expect(shown.overflowing).toEqual([]);
        expect(shown.found.length).toBeGreaterThan(3);
        expect(shown.found.filter((t) => t.lines !== 1)).toEqual([]);
      });
    }
  }

  it.skipIf(!HAVE_CHROMIUM)('keeps each IP whole in the text, and shows what happened and where from', async () => {
    const shown = await open(MAILS.alert, 420, 'alert');
    const tokens = shown.found.map((t) => t.token);
    expect(tokens).toContain('198.51.100.45');
    expect(tokens).toContain('2001:db8:85a3:0000:0000:8a2e:0370:7334');
    expect(tokens).toContain('2026-11-26 10:29 UTC');
    expect(shown.text).toMatch(/used from 198\.51\.100\.45 \(US, AS64500\), outside Mimecast's allowed ranges/);
    expect(shown.text).not.toMatch(/2026-11-26T/);
  });

  it.skipIf(!HAVE_CHROMIUM)('uses the 680 px reading width on a wide screen and the whole width on a phone', async () => {
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.setContent(MAILS.alert);
    const wide = Number(await page.evaluate('document.querySelector("table table").getBoundingClientRect().width'));
    await page.setViewportSize({ width: 420, height: 900 });
    const narrow = Number(await page.evaluate('document.querySelector("table table").getBoundingClientRect().width'));
    expect(wide).toBe(680);
    expect(narrow).toBeLessThanOrEqual(420);
    expect(narrow).toBeGreaterThan(380);
  });
});
