import { describe, expect, it } from 'vitest';
import { csvCell, safeText } from './text.js';

describe('safeText', () => {
  it('neutralises terminal escapes and bidi overrides in attacker-chosen names', () => {
    expect(safeText('Evil\u001b[31mApp\u202e')).toBe('Evil\ufffd[31mApp\ufffd');
  });

  it('truncates by code point without splitting astral characters', () => {
    expect(safeText('😀😀😀😀', 3)).toBe('😀😀…');
  });
});

describe('csvCell', () => {
  it('defuses spreadsheet formulas', () => {
    expect(csvCell('=HYPERLINK("https://evil","x")')).toBe('"\'=HYPERLINK(""https://evil"",""x"")"');
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  });

  it('quotes commas and newlines', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('a\nb')).toBe('a b');
  });
});
