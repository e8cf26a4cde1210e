import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderErrorCatalogue } from './errors.js';
import { renderGraphCallsDoc } from './graph/doc.js';
import { packageRoot } from './package-root.js';
import { writeRulesDoc } from './rules/write-doc.js';

/** `npm run docs`: regenerates the documentation pages that are derived from code. */
await writeFile(join(packageRoot(), 'docs', 'errors.md'), renderErrorCatalogue(), 'utf8');
await writeFile(join(packageRoot(), 'docs', 'graph-calls.md'), renderGraphCallsDoc(), 'utf8');
await writeRulesDoc();
