import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';

/**
 * credwatch's version, from its own package.json: one source of truth whether the CLI runs from
 * `src/` (tsx) or `dist/src/` (built, or installed as a package).
 */
export function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ?? 'unknown';
}
