import { describe, expect, it } from 'vitest';
import { cardList, cardText, escapeMarkdown } from '../../src/alerts/channels/teams-text.js';

// Markdown-escaped text for the weekly summary card; alert cards put values in TextRuns instead.
describe('Teams card text (weekly summary card)', () => {
  it.each([
    ['[click](https://evil)', '\\[click\\]\\(hxxps\\[:\\]//evil\\)'],
    ['<img src=x onerror=alert(1)>', '\\<img src=x onerror=alert\\(1\\)\\>'],
    ['**bold** _it_ `code` ~~s~~', '\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~s\\~\\~'],
    ['{{DATE(2017-02-14T06:00:00Z, SHORT)}}', '\\{\\{DATE\\(2017-02-14T06:00:00Z, SHORT\\)\\}\\}'],
    ['# heading', '\\# heading'],
    ['- item', '\\- item'],
    ['+ item', '\\+ item'],
    ['1. item', '1\\. item'],
    ['a\\b', 'a\\\\b'],
    ['&amp; | x', '\\&amp; \\| x'],
    ['www.evil.example', 'www\\[.\\]evil.example'],
  ])('shows %j literally as %j', (input, expected) => {
    expect(cardText(input, 200)).toBe(expected);
  });

  it('leaves IP addresses, GUIDs and dates readable', () => {
    expect(cardText('203.0.113.7', 45)).toBe('203.0.113.7');
    expect(cardText('2001:db8::1', 45)).toBe('2001:db8::1');
    expect(cardText('bbbbbbbb-0000-4000-8000-0000000000a1', 40)).toBe('bbbbbbbb-0000-4000-8000-0000000000a1');
    expect(escapeMarkdown('Contoso Mail-Sync v2.1')).toBe('Contoso Mail-Sync v2.1');
  });

  it('replaces control and bidi characters and truncates before escaping', () => {
    expect(cardText('a\nb\u202ec\u0007', 80)).toBe('a\ufffdb\ufffdc\ufffd');
    const long = cardText('*'.repeat(10_000), 120);
    expect(Array.from(long.replace(/\\/g, ''))).toHaveLength(120);
    expect(long.endsWith('\\*…')).toBe(true);
  });

  it('lists at most the limit and says how many were left out', () => {
    expect(cardList(['a', 'b', 'c', 'd'], 2, 10)).toBe('a, b … and 2 more');
    expect(cardList(['a', 'b'], 2, 10)).toBe('a, b');
    expect(cardList(['a', 'b'], 0, 10)).toBe('… and 2 more');
  });
});
