/**
 * A card drawn the way Teams draws it: the `adaptivecards` JavaScript renderer (the library Teams'
 * web client builds on) with one of Teams' host configs (test/fixtures/adaptivecards/), in a
 * Chromium page that reaches nothing outside itself. Used by the render test (cards-render.test.ts)
 * and by `npm run images`, which draws docs/img/teams-alert.png.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import type { Json } from './card-reading.js';

export const CARD_THEMES = ['light', 'dark'] as const;
export type CardTheme = (typeof CARD_THEMES)[number];

const RENDERER = createRequire(import.meta.url).resolve('adaptivecards/dist/adaptivecards.min.js');
const IN_PAGE = fileURLToPath(new URL('./in-page.js', import.meta.url));

/** Teams' host config for `theme`. */
export function teamsHostConfig(theme: CardTheme): Json {
  return JSON.parse(readFileSync(new URL(`../fixtures/adaptivecards/microsoft-teams-${theme}.json`, import.meta.url), 'utf8')) as Json;
}

/** What the rendered card shows a reader, measured in the page (in-page.js). */
export interface RenderedCard {
  overflowing: string[];
  pageWidth: number;
  texts: string[];
  header: { text: string; color: string; background: string };
}

/**
 * A page `widthInPx` wide for drawing cards. Script errors are pushed to `problems`; every request
 * but a data: URL is aborted, so a card that makes the renderer fetch (an image, a font) fails.
 */
export async function openCardPage(browser: Browser, widthInPx: number, problems: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: widthInPx, height: 900 } });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.route('**/*', (route) => (route.request().url().startsWith('data:') ? route.continue() : route.abort()));
  return page;
}

/** Draws `card` into the page's `#host` element, `widthInPx` wide, and says what a reader sees. */
export async function renderCard(page: Page, card: Json, theme: CardTheme, widthInPx: number): Promise<RenderedCard> {
  await page.setContent(
    `<!DOCTYPE html><html><body style="margin:0;font-family:'Segoe UI',sans-serif"><div id="host" style="width:${widthInPx}px"></div></body></html>`,
  );
  await page.addScriptTag({ path: RENDERER });
  await page.addScriptTag({ path: IN_PAGE });
  return (await page.evaluate(`renderCard(${JSON.stringify(card)}, ${JSON.stringify(teamsHostConfig(theme))})`)) as RenderedCard;
}
