/**
 * The sign-in backlog as a scan reports it (src/scan/stages/signins.ts): what the summary, the
 * scan record, `credwatch status` and the weekly report's collection health show.
 */

/** Unread sign-in time that should have been read for good by now, and what it will take. */
export interface BacklogReport {
  /** Minutes of log time left, in `intervals` pieces, the oldest starting at `oldest`. */
  minutes: number;
  intervals: number;
  oldest: Date | undefined;
  /** Sign-ins expected in it, at the tenant's observed density (undefined while unknown). */
  estimatedRecords: number | undefined;
  /** Minutes of reading it takes at the rate this run read (or Graph's ceiling before any was measured). */
  estimatedMinutes: number | undefined;
  /** True when this run stopped at its deadline with time left to read. */
  stoppedAtDeadline: boolean;
  /** True when the backlog grew at each of the last runs (docs/errors.md, SIGNINS_BACKLOG_GROWING). */
  growing: boolean;
}

/** One line: how much, how many, since when, how long. */
export function describeBacklog(b: BacklogReport): string {
  const hours = (b.minutes / 60).toFixed(1);
  const records = b.estimatedRecords === undefined ? '' : ` (≈${b.estimatedRecords.toLocaleString('en-US')} sign-ins)`;
  const eta = b.estimatedMinutes === undefined ? '' : `; ≈${b.estimatedMinutes} min of reading at the current rate`;
  const oldest = b.oldest === undefined ? '' : `, oldest from ${new Date(b.oldest).toISOString()}`;
  return `${hours} h of sign-in log${records} not read yet${oldest}${eta}`;
}

/** The backlog kept in a recorded scan's summary JSON, if it is one (another version may have written it). */
export function recordedBacklog(summaryJson: string): BacklogReport | undefined {
  try {
    const b = (JSON.parse(summaryJson) as { backlog?: { signIns?: Partial<BacklogReport> } }).backlog?.signIns;
    if (b === undefined || typeof b.minutes !== 'number' || typeof b.intervals !== 'number') return undefined;
    return {
      minutes: b.minutes,
      intervals: b.intervals,
      oldest: typeof b.oldest === 'string' ? new Date(b.oldest) : undefined,
      estimatedRecords: typeof b.estimatedRecords === 'number' ? b.estimatedRecords : undefined,
      estimatedMinutes: typeof b.estimatedMinutes === 'number' ? b.estimatedMinutes : undefined,
      stoppedAtDeadline: b.stoppedAtDeadline === true,
      growing: b.growing === true,
    };
  } catch {
    return undefined;
  }
}
