/**
 * The parts of a line a reader copies whole: IP addresses and ranges, GUIDs, hashes and key ids,
 * and credwatch's times. A renderer that wraps text keeps each of these on one line (email wraps
 * them in a `white-space:nowrap` span), instead of breaking `198.51.100.45` after `19`.
 */

const TOKEN = new RegExp(
  [
    String.raw`\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC`, // displayTime (src/present/format.ts)
    String.raw`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`, // GUID: app ids, key ids
    String.raw`\b\d{1,3}(?:\.\d{1,3}){3}(?:\/\d{1,2})?\b`, // IPv4, or a range
    String.raw`(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?:\/\d{1,3})?`, // IPv6, or a range
    String.raw`\b[0-9a-f]{16,64}\b`, // hashes, thumbprints, alert ids (a longer run is no id: it may wrap)
  ].join('|'),
  'gi',
);

/** `text` cut into plain runs and tokens, in order; joining the parts gives `text` back exactly. */
export function splitTokens(text: string): Array<{ text: string; token: boolean }> {
  const parts: Array<{ text: string; token: boolean }> = [];
  let at = 0;
  for (const m of text.matchAll(TOKEN)) {
    // An IPv6 pattern can match a lone ':' pair inside prose ("a::b"); a token is at least 3 characters.
    if (m[0].length < 3) continue;
    if (m.index > at) parts.push({ text: text.slice(at, m.index), token: false });
    parts.push({ text: m[0], token: true });
    at = m.index + m[0].length;
  }
  if (at < text.length) parts.push({ text: text.slice(at), token: false });
  return parts;
}
