/**
 * The README's two pictures, produced rather than drawn: `npm run demo` run on a fixed clock, its
 * critical Teams card drawn as Teams draws it (test/alerts/card-page.ts, Teams' light theme) and the
 * first screen of its weekly report at a laptop's width, both in Debian's headless Chromium. It
 * lives with the tests because it is made of their helpers and fixtures; `npm run images` (write.ts)
 * writes the files, and images.test.ts checks these parts without touching docs/img/.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { runDemo } from '../../src/demo.js';
import { packageRoot } from '../../src/package-root.js';
import { openCardPage, renderCard } from '../alerts/card-page.js';
import type { Json } from '../alerts/card-reading.js';
import { captureLogger } from '../helpers/tenant.js';

/** Where the README finds its pictures. */
export const IMAGE_DIR = join(packageRoot(), 'docs', 'img');

/** Thursday of 2026-W48: the demo reports the week so far, so mid-week shows a few days of it. A fixed clock keeps the pictures the same from run to run. */
export const DEMO_CLOCK = new Date('2026-11-26T12:00:00.000Z');

/** A Teams chat column on a laptop (the render test checks the narrower phone width). */
export const CARD_WIDTH_IN_PX = 500;

/** The report's first screen on a laptop, as the report test reads it. */
export const REPORT_SCREEN = Object.freeze({ width: 1280, height: 800 });

/** What the demo produced that the pictures show. */
export interface DemoOutput {
  /** The Adaptive Card of the critical alert the demo's Teams receiver got. */
  alertCard: Json;
  /** The week's report as the demo wrote it. */
  reportHtml: string;
}

/** Runs the demo on {@link DEMO_CLOCK}, keeping its Teams messages and writing its report to a temporary folder. */
export async function demoOutput(): Promise<DemoOutput> {
  const dir = await mkdtemp(join(tmpdir(), 'credwatch-images-'));
  try {
    const messages: string[] = [];
    const code = await runDemo({
      write: () => undefined,
      logger: captureLogger('silent').logger,
      now: () => new Date(DEMO_CLOCK),
      reportDir: dir,
      onTeamsMessage: (body) => messages.push(body),
    });
    if (code !== 0) throw new Error(`the demo exited ${code}; run npm run demo to see why`);
    const cards = messages.map((m) => (JSON.parse(machineFree(m)) as { attachments: Array<{ content: Json }> }).attachments[0]!.content);
    const alertCard = cards.find((c) => String(c.fallbackText).startsWith('CRITICAL · '));
    if (!alertCard) throw new Error(`the demo's Teams receiver got no critical alert card (${cards.length} cards)`);
    const html = (await readdir(dir)).find((f) => f.endsWith('.html'));
    if (!html) throw new Error('the demo wrote no HTML report');
    return { alertCard, reportHtml: machineFree(await readFile(join(dir, html), 'utf8')) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * The demo hands credwatch absolute paths (src/demo.ts), and an alert names its allowlist file as
 * configured: the pictures show them relative to the repository, so they do not depend on where
 * they were drawn.
 */
function machineFree(text: string): string {
  return text.split(`${packageRoot()}/`).join('');
}

/** The card as a PNG, {@link CARD_WIDTH_IN_PX} wide and as tall as the card; throws on a renderer error. */
export async function cardPng(browser: Browser, card: Json): Promise<Buffer> {
  const problems: string[] = [];
  const page = await openCardPage(browser, CARD_WIDTH_IN_PX, problems);
  try {
    await renderCard(page, card, 'light', CARD_WIDTH_IN_PX);
    if (problems.length > 0) throw new Error(`the card renderer failed: ${problems.join('; ')}`);
    return await page.locator('#host').screenshot();
  } finally {
    await page.close();
  }
}

/** The report's first screen as a PNG, {@link REPORT_SCREEN} in size; the page may load nothing from outside. */
export async function reportPng(browser: Browser, html: string): Promise<Buffer> {
  const page = await browser.newPage({ viewport: REPORT_SCREEN });
  try {
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    return await page.screenshot();
  } finally {
    await page.close();
  }
}

/** The README's pictures by file name, ready to write. */
export async function readmeImages(browser: Browser): Promise<Array<{ file: string; png: Buffer }>> {
  const demo = await demoOutput();
  return [
    { file: 'teams-alert.png', png: await cardPng(browser, demo.alertCard) },
    { file: 'report-first-screen.png', png: await reportPng(browser, demo.reportHtml) },
  ];
}

/** Width and height from a PNG's header chunk (https://www.w3.org/TR/png/#11IHDR); throws when it is no PNG. */
export function pngSize(png: Buffer): { width: number; height: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (png.length < 24 || !png.subarray(0, 8).equals(signature) || png.toString('latin1', 12, 16) !== 'IHDR') throw new Error('not a PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}
