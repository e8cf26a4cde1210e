/**
 * Name-based object ids: every id in a scenario is derived from a readable label, so each run of a
 * scenario has the same ids (SHA-1 of the label in the UUID version 5 layout).
 */
import { createHash } from 'node:crypto';

/** A deterministic GUID for a label (SHA-1 based, version 5 layout). */
export function guid(label: string): string {
  const h = createHash('sha1').update(label).digest('hex');
  const variant = ((parseInt(h.slice(16, 17), 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
