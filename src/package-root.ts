import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The directory of credwatch's own package.json, found by walking up from this module, so the
 * demo finds `config/` whether it runs from `src/` (tsx) or `dist/src/` (built).
 */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string };
      if (pkg.name === 'credwatch') return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('credwatch package.json not found above ' + from);
    dir = parent;
  }
}
