import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderErrorCatalogue } from './errors.js';
import { packageRoot } from './package-root.js';
import { writeRulesDoc } from './rules/write-doc.js';

/** `npm run docs`: regenerates the documentation pages that are derived from code. */
await writeFile(join(packageRoot(), 'docs', 'errors.md'), renderErrorCatalogue(), 'utf8');
await writeRulesDoc();
