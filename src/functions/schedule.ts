/**
 * Timer schedules from app settings. Azure Functions timers take 6-field NCRONTAB
 * (`{second} {minute} {hour} {day} {month} {day-of-week}`), evaluated in UTC on Linux plans
 * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer#ncrontab-expressions).
 * A 5-field cron pasted from `credwatch serve` would be read with a shifted meaning, so it is
 * not guessed at.
 */
import type { InvocationContext } from '@azure/functions';
import { CredwatchError } from '../errors.js';
import { parseNcrontab } from './ncrontab.js';

export interface ScheduleSetting {
  schedule: string;
  /**
   * Set when the app setting was unusable and the default is used instead: a CONFIG_INVALID naming
   * the setting, to log on every run.
   */
  problem?: CredwatchError;
}

/**
 * The schedule an app setting asks for, or the default with a CONFIG_INVALID error when it is not
 * valid 6-field NCRONTAB. Falling back keeps the monitor running (throwing at import would index no
 * function at all, and a stopped monitor raises no failed invocation to alert on); each run then
 * logs the error, with its code and the setting's name, at error level.
 */
export function ncrontabSetting(env: NodeJS.ProcessEnv, setting: string, fallback: string): ScheduleSetting {
  const value = env[setting]?.trim() || fallback;
  try {
    parseNcrontab(value);
    return { schedule: value.split(/\s+/).join(' ') };
  } catch (e: unknown) {
    const reason = e instanceof Error ? e.message : String(e);
    return {
      schedule: fallback,
      problem: new CredwatchError(
        'CONFIG_INVALID',
        `App setting ${setting} is "${value}" (${reason}); Azure Functions timers need 6-field NCRONTAB ("second minute hour day month day-of-week", UTC), e.g. "${fallback}". Running on that default until it is fixed.`,
        { cause: e, details: { setting, value, reason } },
      ),
    };
  }
}

/**
 * Logs the setting's problem, if any, to the timer's invocation at error level, with its code and
 * fix as a start failure is logged (handlers.ts): called at the start of every run of that timer.
 */
export function logScheduleProblem(setting: ScheduleSetting, context: Pick<InvocationContext, 'error'>): void {
  if (setting.problem) context.error(`credwatch schedule (${setting.problem.code}): ${setting.problem.message} Fix: ${setting.problem.fix}`);
}
