import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { folderCycles, importEdges, layerOf } from './imports.js';

/**
 * The layering the design relies on (docs/architecture.md), checked on every `npm test`: folders
 * depend on each other without cycles, the simulator and test fixtures never reach production code,
 * and only the collectors and the Graph layer read Graph's JSON.
 */
const SRC = join(packageRoot(), 'src');
const edges = importEdges(SRC);

describe('the import layers of src/', () => {
  it('has no dependency cycle between folders', () => {
    expect(folderCycles(edges)).toEqual([]);
  });

  it('keeps the tenant simulator out of production code (only the demo entry starts it)', () => {
    const offenders = edges.filter((e) => layerOf(e.to) === 'simulator' && layerOf(e.from) !== 'simulator' && e.from !== 'demo.ts');
    expect(offenders).toEqual([]);
  });

  it('never imports test code from src/', () => {
    const offenders = edges.filter((e) => e.to.startsWith('..'));
    expect(offenders).toEqual([]);
  });

  it('lets only the entry points and wiring reach the Azure Functions runtime', () => {
    const offenders = edges.filter((e) => layerOf(e.to) === 'functions' && layerOf(e.from) !== 'functions' && layerOf(e.from) !== 'packaging');
    expect(offenders).toEqual([]);
  });

  it('finds the imports it checks (the check itself works)', () => {
    expect(edges.length).toBeGreaterThan(500);
    expect(edges).toContainEqual({ from: 'graph/client.ts', to: 'graph/contract.ts' });
    expect(
      folderCycles([
        { from: 'a/x.ts', to: 'b/y.ts' },
        { from: 'b/y.ts', to: 'c/z.ts' },
        { from: 'c/z.ts', to: 'a/w.ts' },
      ]),
    ).toEqual([['a', 'b', 'c', 'a']]);
  });
});
