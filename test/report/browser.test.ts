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
    // The column is the width email clients are given, and nothing pushes the page wider.
    expect((await page.locator('body > table table').first().boundingBox())?.width).toBe(720);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(VIEWPORT.width);
    await mkdir(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
    expect(problems).toEqual([]);
    await page.close();
  });

  it.skipIf(!HAVE_CHROMIUM)(`runs no script and keeps its width when every name is hostile${SKIPPED}`, async () => {
    const { page, problems } = await open('/hostile.html');
    expect(await page.locator('script, style, img, svg, iframe, object, embed, [onerror], [onload]').count()).toBe(0);
    for (const link of await page.locator('a').all()) expect(await link.getAttribute('href')).toMatch(/^https:\/\/entra\.microsoft\.com\//);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(VIEWPORT.width);
    expect(problems).toEqual([]);
    await page.close();
  });
});
