/**
 * The weekly report as a reader sees it: served over HTTP on loopback and opened in Debian's
 * headless Chromium (driven by playwright-core; no browser is ever downloaded). CI installs
 * /usr/bin/chromium; without it this file is skipped, saying why.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../src/report/html.js';
import { hostileReport, HOSTILE_NAMES, realisticReport } from './html-fixtures.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const SKIPPED = HAVE_CHROMIUM ? '' : ` (SKIPPED: ${CHROMIUM} is not installed; apt-get install chromium)`;
const VIEWPORT = { width: 900, height: 900 };
const SCREENSHOT = fileURLToPath(new URL('../../test-output/report.png', import.meta.url));
/** A laptop and a phone held upright: the two widths the report was read at. */
const WIDTHS = [
  { width: 1280, height: 800 },
  { width: 420, height: 860 },
] as const;

/**
 * What a reader, a screen reader and a dark-mode client get, measured in the page: the headings
 * in order, each table's header cells, and the contrast of every piece of text against the
 * background it sits on, as drawn and with every colour inverted (a dark mode that inverts).
 */
const INSPECT = `(() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const lowContrast = [];
  for (const el of document.body.querySelectorAll('*')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== '');
    if (!own) continue;
    const fg = rgb(getComputedStyle(el).color).slice(0, 3);
    const bg = background(el);
    const inverted = (c) => c.map((v) => 255 - v);
    const worst = Math.min(ratio(fg, bg), ratio(inverted(fg), inverted(bg)));
    if (worst < 4.5) lowContrast.push(el.textContent.trim().slice(0, 40) + ' ' + worst.toFixed(2));
  }
  const dataTables = [...document.querySelectorAll('table:not([role=presentation])')];
  return {
    headings: [...document.querySelectorAll('h1, h2, h3')].map((h) => Number(h.tagName[1])),
    actionTop: document.evaluate("//h2[text()='Needs action now']", document, null, 9, null).singleNodeValue?.getBoundingClientRect().top ?? -1,
    dataTables: dataTables.length,
    tablesWithoutHeaders: dataTables.filter((t) => t.querySelectorAll('th[scope]').length === 0).length,
    headerCellsWithoutScope: document.querySelectorAll('th:not([scope])').length,
    lowContrast,
  };
})()`;

interface Inspection {
  headings: number[];
  actionTop: number;
  dataTables: number;
  tablesWithoutHeaders: number;
  headerCellsWithoutScope: number;
  lowContrast: string[];
}

// Every report the test opens, by path; anything else the page asks for is a failure.
const PAGES: Readonly<Record<string, string>> = {
  '/report.html': renderReportHtml(realisticReport()),
  '/hostile.html': renderReportHtml(hostileReport(HOSTILE_NAMES.join(' '))),
};

let server: Server;
let origin: string;
let profile: string;
let context: BrowserContext;

beforeAll(async () => {
  if (!HAVE_CHROMIUM) return;
  server = createServer((req, res) => {
    // Chromium asks for /favicon.ico by itself for any http page (the report links no icon, and a
    // file or an email body gets no such request); answering "no content" keeps its 404 out of the console.
    if (req.url === '/favicon.ico') return void res.writeHead(204).end();
    const body = PAGES[req.url ?? ''];
    res.writeHead(body === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8' }).end(body ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  profile = await mkdtemp(join(tmpdir(), 'credwatch-chromium-'));
  context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: VIEWPORT,
  });
});

afterAll(async () => {
  await context?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  if (profile) await rm(profile, { recursive: true, force: true });
});

/** Opens `path` and records everything that would mean the page is broken or reached outside. */
async function open(path: string): Promise<{ page: Page; problems: string[] }> {
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog (script ran): ${d.message()}`);
    void d.dismiss();
  });
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('request', (r) => {
    if (r.url() !== `${origin}${path}`) problems.push(`unexpected request: ${r.url()}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  const response = await page.goto(`${origin}${path}`, { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  return { page, problems };
}

/** How wide the page really is: more than the viewport means something pushed the layout out. */
async function scrollWidth(page: Page): Promise<number> {
  // A string, evaluated in the page: this project's TypeScript has no DOM types.
  return Number(await page.evaluate('document.documentElement.scrollWidth'));
}

describe('weekly report in headless Chromium', () => {
  it.skipIf(!HAVE_CHROMIUM)(`loads with no errors or outside requests, shows the key numbers, and is screenshotted${SKIPPED}`, async () => {
    const { page, problems } = await open('/report.html');
    expect(await page.title()).toBe('credwatch weekly exposure report — contoso.onmicrosoft.com — 2026-W48');
    // The page is static: once loaded, what is visible stays visible.
    for (const text of ['Weekly exposure report', 'contoso.onmicrosoft.com', 'Sign-ins outside allowlists', '▲ +37', '90', 'failed 1', 'FAILED — UNKNOWN']) {
      expect(await page.getByText(text, { exact: true }).first().isVisible(), text).toBe(true);
    }
    expect(await page.getByText('unknown*').count()).toBeGreaterThanOrEqual(3);
    expect(await page.getByRole('link', { name: 'Mimecast Archiver' }).count()).toBeGreaterThan(3);
    // The column grows no wider than email clients are given, and nothing pushes the page wider.
    expect((await page.locator('body > table table').first().boundingBox())?.width).toBe(720);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(VIEWPORT.width);
    await mkdir(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  for (const viewport of WIDTHS) {
    it.skipIf(!HAVE_CHROMIUM)(
      `at ${viewport.width} px: fits the width, opens with "Needs action now", has headings in order and headed data tables${SKIPPED}`,
      async () => {
        const { page, problems } = await open('/report.html');
        await page.setViewportSize(viewport);
        expect(await scrollWidth(page)).toBeLessThanOrEqual(viewport.width);
        const seen = (await page.evaluate(INSPECT)) as Inspection;
        // Within the first screen: a reader who stops there has seen what needs action.
        expect(seen.actionTop).toBeGreaterThan(0);
        expect(seen.actionTop).toBeLessThan(viewport.height);
        expect(await page.getByText('Vendor certificate used outside the vendor', { exact: false }).first().isVisible()).toBe(true);
        // One h1, and no level is skipped on the way down (h1 → h3 would lose a screen reader's outline).
        expect(seen.headings[0]).toBe(1);
        expect(seen.headings.filter((h) => h === 1)).toHaveLength(1);
        seen.headings.forEach((h, i) => expect(h - (seen.headings[i - 1] ?? 0), `heading ${i}`).toBeLessThanOrEqual(1));
        expect(seen.dataTables).toBeGreaterThan(10);
        expect(seen.tablesWithoutHeaders).toBe(0);
        expect(seen.headerCellsWithoutScope).toBe(0);
        expect(seen.lowContrast).toEqual([]);
        const shot = fileURLToPath(new URL(`../../test-output/report-${viewport.width}.png`, import.meta.url));
        await mkdir(join(shot, '..'), { recursive: true });
        await page.screenshot({ path: shot, fullPage: true });
        expect(existsSync(shot)).toBe(true);
        expect(problems).toEqual([]);
        await page.close();
      },
    );
  }

  it.skipIf(!HAVE_CHROMIUM)(`runs no script and keeps its width when every name is hostile${SKIPPED}`, async () => {
    const { page, problems } = await open('/hostile.html');
    expect(await page.locator('script, style, img, svg, iframe, object, embed, [onerror], [onload]').count()).toBe(0);
    for (const link of await page.locator('a').all()) expect(await link.getAttribute('href')).toMatch(/^https:\/\/entra\.microsoft\.com\//);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(VIEWPORT.width);
    expect(problems).toEqual([]);
    await page.close();
  });
});
