import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { renderRulesDoc } from '../../src/rules/doc.js';
import { RULES } from '../../src/rules/index.js';

describe('docs/rules.md', () => {
  it('is exactly the page generated from the catalogue (run npm run docs)', async () => {
    const doc = await readFile(join(packageRoot(), 'docs', 'rules.md'), 'utf8');
    expect(doc).toBe(renderRulesDoc(RULES));
  });

  it('lists every rule in the table and gives each its own section', () => {
    const doc = renderRulesDoc(RULES);
    for (const rule of RULES) {
      expect(doc).toContain(`| [\`${rule.id}\`](#${rule.id}) |`);
      expect(doc).toContain(`\n## ${rule.id}\n`);
    }
  });

  it('names the planned rules that are left out for now', () => {
    const doc = renderRulesDoc(RULES);
    expect(doc).toContain('posture-privileged-credential-unused');
    expect(doc).toContain('posture-allowlist-stale');
  });
});
