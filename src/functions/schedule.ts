/**
 * Timer schedules from app settings. Azure Functions timers take 6-field NCRONTAB
 * (`{second} {minute} {hour} {day} {month} {day-of-week}`), evaluated in UTC on Linux plans.
 * A 5-field cron pasted from `credwatch serve` would be read with a shifted meaning, so it is
 * not guessed at.
 */
import { parseNcrontab } from './ncrontab.js';

export interface ScheduleSetting {
  schedule: string;
  /** Set when the app setting was unusable and the default is used instead: say so on every run. */
  problem?: string;
}

/**
 * The schedule an app setting asks for, or the default with the reason when it is not valid
 * 6-field NCRONTAB. Falling back keeps the monitor running (throwing at import would index no
 * function at all, and a stopped monitor raises no failed invocation to alert on); each run then
 * logs the problem at error level.
 */
export function ncrontabSetting(env: NodeJS.ProcessEnv, setting: string, fallback: string): ScheduleSetting {
  const value = env[setting]?.trim() || fallback;
  try {
    parseNcrontab(value);
    return { schedule: value.split(/\s+/).join(' ') };
  } catch (e: unknown) {
    return {
      schedule: fallback,
      problem: `App setting ${setting} is "${value}" (${(e as Error).message}); Azure Functions timers need 6-field NCRONTAB ("second minute hour day month day-of-week", UTC), e.g. "${fallback}". Running on that default until it is fixed.`,
    };
  }
}
