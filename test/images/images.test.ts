/**
 * The parts `npm run images` is made of (build.ts): the demo's critical card and report, and the
 * PNGs drawn from them. Nothing here writes to docs/img/.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { HAVE_CHROMIUM, launchChromium, SKIP_NOTE } from '../helpers/chromium.js';
import { CARD_WIDTH_IN_PX, cardPng, demoOutput, pngSize, REPORT_SCREEN, reportPng, type DemoOutput } from './build.js';

describe('pngSize', () => {
  it("reads the width and height from a PNG's header and refuses anything else", () => {
    // A 3×2 PNG's signature and header chunk (length, type, width, height, then the rest of IHDR).
    const png = Buffer.from('89504e470d0a1a0a0000000d494844520000000300000002080600000000', 'hex');
    expect(pngSize(png)).toEqual({ width: 3, height: 2 });
    expect(() => pngSize(Buffer.from('<svg/>'))).toThrow('not a PNG');
  });
});

describe(`the README's pictures${SKIP_NOTE}`, () => {
  let demo: DemoOutput;
  let browser: Browser;

  beforeAll(async () => {
    demo = await demoOutput();
    if (HAVE_CHROMIUM) browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("come from the demo's critical vendor-certificate alert and its weekly report, with no path of the machine that drew them", () => {
    expect(demo.alertCard.fallbackText).toBe('CRITICAL · Vendor certificate used outside its allowed networks');
    const card = JSON.stringify(demo.alertCard);
    // The vendor's file named from the repository (the fact may be capped where the checkout's
    // path is long, as in CI's Node 22 copy).
    expect(card).toMatch(/file:config\/vendors\/mimecast-2021\./);
    expect(demo.reportHtml).toContain('Needs action now');
    expect(demo.reportHtml).toContain('2026-W48');
    expect(card + demo.reportHtml).not.toContain(packageRoot());
  });

  it.skipIf(!HAVE_CHROMIUM)('draw the whole card as a PNG at the width of a Teams column', async () => {
    const size = pngSize(await cardPng(browser, demo.alertCard));
    expect(size.width).toBe(CARD_WIDTH_IN_PX);
    // Header, facts, why it matters and six runbook steps: far taller than one line.
    expect(size.height).toBeGreaterThan(1_000);
  });

  it.skipIf(!HAVE_CHROMIUM)("draw the report's first screen as a 1280 × 800 PNG", async () => {
    expect(pngSize(await reportPng(browser, demo.reportHtml))).toEqual(REPORT_SCREEN);
  });
});
