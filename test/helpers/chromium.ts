/**
 * Debian's headless Chromium through playwright-core, which never downloads a browser. CI installs
 * /usr/bin/chromium (.ci/run); a test file without it skips, saying why.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const HAVE_CHROMIUM = existsSync(CHROMIUM);
export const SKIP_NOTE = HAVE_CHROMIUM ? '' : ` (SKIPPED: ${CHROMIUM} is not installed; apt-get install chromium)`;

/** A browser with no network beyond what the page is given. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}

/** Where a screenshot named `name` goes: test-output/<folder>/<name>.png (ignored by git). */
export function screenshotPath(folder: string, name: string): string {
  const dir = fileURLToPath(new URL(`../../test-output/${folder}/`, import.meta.url));
  mkdirSync(dir, { recursive: true });
  return `${dir}${name}.png`;
}
