import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { packageRoot } from '../../src/package-root.js';
import { renderReliabilityDoc } from './render-doc.js';

/** Part of `npm run docs`: regenerates docs/reliability.md from the fault catalogue. */
await writeFile(join(packageRoot(), 'docs', 'reliability.md'), renderReliabilityDoc(), 'utf8');
