/**
 * Timer schedules from app settings. Azure Functions timers take 6-field NCRONTAB
 * (`{second} {minute} {hour} {day} {month} {day-of-week}`), evaluated in UTC on Linux plans.
 * A 5-field cron pasted from `credwatch serve` would be read with a shifted meaning, so it is
 * refused with the fix rather than guessed at.
 */
import { CredwatchError } from '../errors.js';

const FIELD = /^[0-9A-Za-z*/,-]+$/;

export function ncrontabSetting(env: NodeJS.ProcessEnv, setting: string, fallback: string): string {
  const value = env[setting]?.trim() || fallback;
  const fields = value.split(/\s+/);
  if (fields.length !== 6 || !fields.every((f) => FIELD.test(f))) {
    throw new CredwatchError(
      'CONFIG_INVALID',
      `App setting ${setting} is "${value}"; Azure Functions timers need 6-field NCRONTAB ("second minute hour day month day-of-week", UTC), e.g. "${fallback}".`,
      { details: { setting } },
    );
  }
  return value;
}
