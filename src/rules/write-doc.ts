import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../package-root.js';
import { renderRulesDoc } from './doc.js';
import { RULES } from './index.js';

/** Writes docs/rules.md from the catalogue; returns the path written. Called by `npm run docs`. */
export async function writeRulesDoc(root: string = packageRoot()): Promise<string> {
  const path = join(root, 'docs', 'rules.md');
  await writeFile(path, renderRulesDoc(RULES), 'utf8');
  return path;
}

// Also runnable on its own (`tsx src/rules/write-doc.ts`); importing it writes nothing.
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(`wrote ${await writeRulesDoc()}`);
}
