import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/package-root.js';
import { importEdges } from '../architecture/imports.js';
import { atLeast, compareSeverity, isSeverity, lower, SEVERITIES, SEVERITY_ORDER, severityCounts, worse, worstFirst } from '../../src/contract.js';

describe('the one severity scale', () => {
  it('runs from informational to critical, and the ranks follow that order', () => {
    expect(SEVERITIES).toEqual(['informational', 'low', 'medium', 'high', 'critical']);
    expect(SEVERITIES.map((s) => SEVERITY_ORDER[s])).toEqual([0, 1, 2, 3, 4]);
    expect(Object.isFrozen(SEVERITIES) && Object.isFrozen(SEVERITY_ORDER)).toBe(true);
  });

  it('compares two severities by rank', () => {
    expect(compareSeverity('critical', 'high')).toBeGreaterThan(0);
    expect(compareSeverity('low', 'medium')).toBeLessThan(0);
    expect(compareSeverity('medium', 'medium')).toBe(0);
    expect(worse('medium', 'high')).toBe('high');
    expect(worse('critical', 'low')).toBe('critical');
  });

  it("lets a channel's minimum severity and everything above it through", () => {
    expect(atLeast('high', 'high')).toBe(true);
    expect(atLeast('critical', 'high')).toBe(true);
    expect(atLeast('medium', 'high')).toBe(false);
    expect(SEVERITIES.every((s) => atLeast(s, 'informational'))).toBe(true);
  });

  it('lowers a severity one step, and never below informational', () => {
    expect(lower('critical')).toBe('high');
    expect(lower('low')).toBe('informational');
    expect(lower('informational')).toBe('informational');
  });

  it('sorts the most severe first, keeping the order of equals', () => {
    const items = [
      { severity: 'low' as const, id: 1 },
      { severity: 'critical' as const, id: 2 },
      { severity: 'low' as const, id: 3 },
      { severity: 'high' as const, id: 4 },
    ];
    expect([...items].sort(worstFirst).map((i) => i.id)).toEqual([2, 4, 1, 3]);
  });

  it('knows its own names only, whatever a stored row or payload says', () => {
    expect(SEVERITIES.every(isSeverity)).toBe(true);
    for (const value of ['Critical', 'severe', 'toString', '__proto__', '', 3, null, undefined]) expect(isSeverity(value)).toBe(false);
  });

  it('counts nothing yet in every severity, in scale order', () => {
    expect(severityCounts()).toEqual({ informational: 0, low: 0, medium: 0, high: 0, critical: 0 });
    expect(Object.keys(severityCounts())).toEqual([...SEVERITIES]);
  });
});

describe('the contract module', () => {
  it('stays in the bottom layer: it imports nothing but the events (docs/architecture.md)', () => {
    const imports = importEdges(join(packageRoot(), 'src')).filter((e) => e.from === 'contract.ts');
    expect(imports.map((e) => e.to)).toEqual(['events.ts']);
  });
});
