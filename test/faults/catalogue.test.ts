import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { FAULT_AREAS } from './catalogue.js';
import { renderReliabilityDoc } from './render-doc.js';

const root = packageRoot();

describe('the fault catalogue', () => {
  it('names only tests that exist, by file and exact title', () => {
    const missing: string[] = [];
    for (const area of FAULT_AREAS) {
      for (const c of area.cases) {
        const file = join(root, c.test.file);
        if (!existsSync(file)) missing.push(`${c.test.file} (no such file)`);
        else if (!["'", '"', '`'].some((q) => readFileSync(file, 'utf8').includes(`${q}${c.test.name}${q}`))) missing.push(`${c.test.file}: '${c.test.name}'`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('is what docs/reliability.md says (run npm run docs after changing a case)', () => {
    expect(readFileSync(join(root, 'docs', 'reliability.md'), 'utf8')).toBe(renderReliabilityDoc());
  });

  it('renders every case of an area as one row naming its test', () => {
    const doc = renderReliabilityDoc([{ title: 'T', intro: 'I.', cases: [{ fault: 'a | b', expected: 'c', test: { file: 'f.ts', name: 'n' } }] }]);
    expect(doc).toContain('1 cases in 1 areas');
    expect(doc).toContain('| a \\| b | c | `f.ts` — n |');
  });
});
