/**
 * Messages for keys the schema does not know. Strict objects everywhere turn a typo (`tenantid`,
 * `certifcatePath`) into an error instead of a silently ignored setting; suggesting the key that was
 * probably meant makes the fix obvious.
 */

/** Edit distance between two short strings (keys are a few dozen characters at most). */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The known key closest to `key`, when it is close enough to be a plausible typo. */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const wanted = key.toLowerCase();
  // Roughly one edit per three characters: catches dropped or swapped letters, not different words.
  const tolerance = Math.max(1, Math.floor(wanted.length / 3));
  let best: { key: string; distance: number } | undefined;
  for (const candidate of known) {
    const d = distance(wanted, candidate.toLowerCase());
    if (d <= tolerance && (best === undefined || d < best.distance)) best = { key: candidate, distance: d };
  }
  return best?.key;
}

/** One message for an unknown key: the likely intended key, or the keys allowed there. */
export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const suggestion = closestKey(key, known);
  if (suggestion !== undefined) return `unknown key "${key}"; did you mean "${suggestion}"?`;
  return `unknown key "${key}"; expected one of: ${known.join(', ')}`;
}
