/**
 * The cards as Teams draws them: each rendered by the `adaptivecards` JavaScript renderer (the
 * library Teams' web client builds on) with Teams' light and dark host configs, in headless
 * Chromium at a phone's 420 px. Screenshots go to test-output/cards/ for a person to look at.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contrast } from '../helpers/contrast.js';
import { HAVE_CHROMIUM, launchChromium, screenshotPath, SKIP_NOTE } from '../helpers/chromium.js';
import { everyCard, longNameAlert } from './card-fixtures.js';
import { CARD_THEMES, openCardPage, renderCard, type CardTheme, type RenderedCard } from './card-page.js';
import type { Json } from './card-reading.js';

const WIDTH = 420;

let browser: Browser;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  if (!HAVE_CHROMIUM) return;
  browser = await launchChromium();
  page = await openCardPage(browser, WIDTH, problems);
});

afterAll(async () => {
  await browser?.close();
});

const render = (card: Json, theme: CardTheme): Promise<RenderedCard> => renderCard(page, card, theme, WIDTH);

describe(`Teams cards rendered in Chromium at ${WIDTH} px${SKIP_NOTE}`, () => {
  for (const theme of CARD_THEMES) {
    it.skipIf(!HAVE_CHROMIUM).each(everyCard())(`$name (${theme}): fits the width, header readable, screenshot taken`, async ({ name, card }) => {
      const shown = await render(card, theme);
      await page.locator('#host').screenshot({ path: screenshotPath('cards', `${name}-${theme}`) });
      expect(problems).toEqual([]);
      expect(shown.pageWidth).toBeLessThanOrEqual(WIDTH);
      expect(shown.overflowing).toEqual([]);
      expect(shown.header.text.length).toBeGreaterThan(0);
      expect(contrast(shown.header.color, shown.header.background), `${shown.header.color} on ${shown.header.background}`).toBeGreaterThanOrEqual(4.5);
    });
  }

  it.skipIf(!HAVE_CHROMIUM)('shows what happened and where from in the summary line, whole, even for a long app name', async () => {
    const card = everyCard().find((c) => c.name === 'alert-medium')!.card;
    const shown = await render(card, 'light');
    const summary = shown.texts.find((t) => t.startsWith('Vendor certificate for'));
    expect(summary).toContain('used from 198.51.100.45 (US, AS64500)');
    expect(summary).toMatch(/outside Mimecast's allowed ranges$/);
    expect(summary).toContain('Contoso Enterprise Mail Archiving'); // the name starts, capped
    expect(summary).not.toContain(longNameAlert().app.displayName);
  });

  it.skipIf(!HAVE_CHROMIUM)('shows runbook steps whole and rule text unescaped', async () => {
    const shown = await render(everyCard().find((c) => c.name === 'alert-critical')!.card, 'dark');
    const steps = shown.texts.filter((t) => /^\d+\. /.test(t));
    expect(steps.length).toBeGreaterThanOrEqual(3);
    expect(steps.some((t) => t.includes('full_access_as_app'))).toBe(true);
    expect(shown.texts.join('\n')).not.toContain('\\_');
  });
});
