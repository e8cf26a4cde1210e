import { describe, expect, it } from 'vitest';
import { defang, displayTime } from './format.js';

describe('shared formatting', () => {
  it('shows a UTC instant to the minute, from a Date or ISO text with any fraction', () => {
    expect(displayTime(new Date('2026-11-26T10:42:07.123Z'))).toBe('2026-11-26 10:42 UTC');
    expect(displayTime('2026-11-26T10:42:07.1234567Z')).toBe('2026-11-26 10:42 UTC');
    expect(displayTime('2026-11-26T10:42Z')).toBe('2026-11-26 10:42 UTC');
  });

  it('refuses what is not a UTC instant, so the caller shows it as untrusted text', () => {
    for (const bad of ['2026-11-26T10:42:07+02:00', 'yesterday', '', new Date(Number.NaN)]) expect(displayTime(bad)).toBeUndefined();
  });

  it('defangs every scheme and www, in one style', () => {
    expect(defang('see https://evil.example/x and HTTP://a, ftp://b, www.c.example')).toBe(
      'see hxxps[:]//evil.example/x and hxxp[:]//a, ftp[:]//b, www[.]c.example',
    );
  });
});
