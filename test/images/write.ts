import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { packageRoot } from '../../src/package-root.js';
import { CHROMIUM, HAVE_CHROMIUM, launchChromium } from '../helpers/chromium.js';
import { IMAGE_DIR, pngSize, readmeImages } from './build.js';

/** `npm run images`: redraws docs/img/ from the demo (build.ts says how). */
if (!HAVE_CHROMIUM) {
  process.stderr.write(`npm run images needs Debian's Chromium at ${CHROMIUM} (apt-get install chromium)\n`);
  process.exit(1);
}
const browser = await launchChromium();
try {
  await mkdir(IMAGE_DIR, { recursive: true });
  for (const { file, png } of await readmeImages(browser)) {
    const path = join(IMAGE_DIR, file);
    await writeFile(path, png);
    const { width, height } = pngSize(png);
    process.stdout.write(`wrote ${relative(packageRoot(), path)} (${width}×${height}, ${png.length} bytes)\n`);
  }
} finally {
  await browser.close();
}
