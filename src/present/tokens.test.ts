import { describe, expect, it } from 'vitest';
import { splitTokens } from './tokens.js';

describe('tokens a reader copies whole', () => {
  it('finds IPs, ranges, GUIDs, hashes and times inside a sentence, and gives the sentence back exactly', () => {
    const line =
      'Vendor certificate used from 198.51.100.45 and 2001:db8::1 (ranges 203.0.113.0/24), key bbbbbbbb-0000-4000-8000-0000000000a1, alert 0123456789abcdef0123456789abcdef at 2026-11-26 10:42 UTC';
    const parts = splitTokens(line);
    expect(parts.map((p) => p.text).join('')).toBe(line);
    expect(parts.filter((p) => p.token).map((p) => p.text)).toEqual([
      '198.51.100.45',
      '2001:db8::1',
      '203.0.113.0/24',
      'bbbbbbbb-0000-4000-8000-0000000000a1',
      '0123456789abcdef0123456789abcdef',
      '2026-11-26 10:42 UTC',
    ]);
  });

  it('leaves prose without tokens as one plain run', () => {
    expect(splitTokens('Ask the vendor whether the network is theirs.')).toEqual([{ text: 'Ask the vendor whether the network is theirs.', token: false }]);
  });
});
