import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CredwatchError, ERROR_CATALOGUE, renderErrorCatalogue, toCredwatchError } from './errors.js';
import { packageRoot } from './package-root.js';

describe('error catalogue', () => {
  it('is documented in docs/errors.md exactly as generated (run npm run docs)', async () => {
    const doc = await readFile(join(packageRoot(), 'docs', 'errors.md'), 'utf8');
    expect(doc).toBe(renderErrorCatalogue());
  });

  it('gives every code a title and a fix', () => {
    for (const [code, info] of Object.entries(ERROR_CATALOGUE)) {
      expect(code).toMatch(/^[A-Z_]+$/);
      expect(info.title.length).toBeGreaterThan(10);
      expect(info.fix.length).toBeGreaterThan(10);
    }
  });

  it('keeps the cause and the catalogue default for retryable', () => {
    const cause = new Error('socket hang up');
    const e = new CredwatchError('GRAPH_UNAVAILABLE', 'down', { cause });
    expect(e.cause).toBe(cause);
    expect(e.retryable).toBe(true);
    expect(new CredwatchError('GRAPH_UNAVAILABLE', 'down', { retryable: false }).retryable).toBe(false);
  });

  it('wraps unknown throwables as INTERNAL without losing them', () => {
    const wrapped = toCredwatchError('boom');
    expect(wrapped.code).toBe('INTERNAL');
    expect(wrapped.message).toBe('boom');
  });
});
