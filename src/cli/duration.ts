/**
 * Durations on the command line: `30s`, `90m`, `1h`, `2d`, or a plain whole number in the unit
 * the option always used (minutes for `--stale-after`, seconds for `--grace`), so existing scripts
 * keep their meaning.
 */
const UNIT_IN_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A unit a duration may be written in. */
export type DurationUnit = keyof typeof UNIT_IN_MS;

// Nine digits at most: anything longer is a typo, and stays far from unsafe integers.
const DURATION = /^(\d{1,9})([smhd])?$/;

/** The duration in milliseconds, or undefined when `text` is not one. */
export function parseDurationInMs(text: string, plainUnit: DurationUnit): number | undefined {
  const match = DURATION.exec(text.trim());
  if (!match) return undefined;
  const unit = (match[2] as DurationUnit | undefined) ?? plainUnit;
  return Number(match[1]) * UNIT_IN_MS[unit];
}

/** `90m`, `2h`, `45s`: the largest unit that divides `ms`, for messages. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms % UNIT_IN_MS[unit] === 0) return `${ms / UNIT_IN_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}

/** The length of one unit, in milliseconds. */
export function unitInMs(unit: DurationUnit): number {
  return UNIT_IN_MS[unit];
}
