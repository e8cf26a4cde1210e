import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { csvCell, csvFileText, formatTable, safeText } from './text.js';

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

describe('csvFileText', () => {
  it('puts one UTF-8 byte order mark before the rows, and never a second', () => {
    const file = csvFileText('a,b\n1,2\n');
    expect([...Buffer.from(file, 'utf8').subarray(0, 4)]).toEqual([0xef, 0xbb, 0xbf, 0x61]);
    expect(csvFileText(file)).toBe(file);
  });

  it('keeps a byte order mark out of the cells, so one can only ever start the file', () => {
    expect(csvCell('\ufeffname')).toBe('\ufffdname');
  });
});

describe('formatTable', () => {
  // Wide (CJK, emoji: two columns), combining (zero columns) and plain names in one column.
  const rows = [
    ['邮件同步', 'cjk'],
    ['Mail 📧 bot', 'emoji'],
    ['Cafe\u0301 e\u0301\u0301', 'combining'],
    ['Ünïcödé 邮件 📧', 'mixed'],
    ['plain', 'ascii'],
  ];
  const lines = formatTable(['App', 'Kind'], rows).split('\n');

  it("starts every row's second column at the same terminal column, measuring wide and combining characters as a terminal does", () => {
    // The second column is the last word, after the two-space gutter.
    const starts = lines.map((line) => stringWidth(line.slice(0, line.search(/(?<= {2})\S+$/))));
    expect(lines).toHaveLength(2 + rows.length);
    expect(new Set(starts)).toEqual(new Set([stringWidth('Ünïcödé 邮件 📧') + 2]));
  });

  it('pads to the widest cell by display width', () => {
    expect(
      formatTable(
        ['App', 'Kind'],
        [
          ['邮件', 'a'],
          ['ab', 'b'],
        ],
      ),
    ).toBe(['App   Kind', '----  ----', '邮件  a', 'ab    b'].join('\n'));
  });
});
