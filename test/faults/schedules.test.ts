/**
 * Bad schedules, where each is configured: `schedules` in the config file for `credwatch serve`
 * (checked with node-cron, which runs them), and the CREDWATCH_*_SCHEDULE app settings of the
 * Function app (NCRONTAB, as the Functions host reads it). The catalogue entries are in
 * cases/schedules.ts.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvocationContext } from '@azure/functions';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_REPORT_SCHEDULE, DEFAULT_SCAN_SCHEDULE, SETTINGS } from '../../src/functions/names.js';
import { logScheduleProblem, ncrontabSetting } from '../../src/functions/schedule.js';
import { credwatch } from '../helpers/cli.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credwatch-faults-schedules-'));
});

/** A config with one managed-identity tenant (nothing is contacted before the config is checked) and these schedules. */
async function configWith(schedules: Record<string, string>): Promise<string> {
  const path = join(dir, `config-${Object.values(schedules).join('_').replace(/[^\w]/g, '')}.json`);
  const tenant = { name: 'contoso', tenantId: '11111111-2222-4333-8444-555555555555', auth: { mode: 'managedIdentity' } };
  await writeFile(path, JSON.stringify({ tenants: [tenant], state: { type: 'memory' }, schedules }));
  return path;
}

function timerContext(): { context: InvocationContext; errors: string[] } {
  const errors: string[] = [];
  const context = new InvocationContext({
    invocationId: 'inv-schedule',
    functionName: 'scanTimer',
    logHandler: (level, ...args) => {
      if (level === 'error') errors.push(args.map(String).join(' '));
    },
  });
  return { context, errors };
}

describe('bad schedules for credwatch serve', () => {
  it('refuses to serve with a minute of 99, exit 2 with CONFIG_INVALID naming schedules.scan', async () => {
    const result = await credwatch(['--config', await configWith({ scan: '99 * * * *' }), 'serve']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('CONFIG_INVALID');
    expect(result.stderr).toMatch(/schedules\.scan: is not a valid cron expression \(99 is a invalid expression for minute\)/);
  });

  it('lists every bad schedule in one error, each by its path', async () => {
    const result = await credwatch(['--config', await configWith({ report: 'a b c d e', refreshAllowlists: '0 0 31 2 *' }), 'serve']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/schedules\.report: is not a valid cron expression \(a is a invalid expression for minute/);
    expect(result.stderr).toMatch(/schedules\.refreshAllowlists: is not a valid cron expression .*impossible day of month/);
  });

  it('serves nothing on a schedule that has more fields than cron', async () => {
    const result = await credwatch(['--config', await configWith({ scan: '0 0 8 * * 1 2026' }), 'serve']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('schedules.scan: is not a valid cron expression (expected 5 or 6 fields but got 7)');
  });
});

describe('bad schedules for the Function app', () => {
  it.each([
    ['a b c d e f', 'second "a" is not a number from 0 to 59'],
    ['0 99 * * * *', 'minute "99" is not a number from 0 to 59'],
    ['0 0 8 * * 7', 'day-of-week "7" is not a number from 0 to 6'],
    ['*/15 * * * *', 'expected 6 fields'],
  ])('runs the scan timer on its default when CREDWATCH_SCAN_SCHEDULE is %s, logging CONFIG_INVALID with the setting on every run', (value, reason) => {
    const setting = ncrontabSetting({ [SETTINGS.scanSchedule]: value }, SETTINGS.scanSchedule, DEFAULT_SCAN_SCHEDULE);
    expect(setting.schedule).toBe(DEFAULT_SCAN_SCHEDULE);
    expect(setting.problem).toMatchObject({ code: 'CONFIG_INVALID', details: { setting: 'CREDWATCH_SCAN_SCHEDULE', value } });
    const { context, errors } = timerContext();
    logScheduleProblem(setting, context);
    logScheduleProblem(setting, context);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain(`credwatch schedule (CONFIG_INVALID): App setting CREDWATCH_SCAN_SCHEDULE is "${value}" (${reason}`);
    expect(errors[0]).toContain('Fix: Correct each listed entry.');
  });

  it('takes the report schedule as Microsoft writes NCRONTAB, month and day by name, and logs nothing', () => {
    const setting = ncrontabSetting({ [SETTINGS.reportSchedule]: '0 30 9 * Jan Mon' }, SETTINGS.reportSchedule, DEFAULT_REPORT_SCHEDULE);
    expect(setting).toEqual({ schedule: '0 30 9 * Jan Mon' });
    const { context, errors } = timerContext();
    logScheduleProblem(setting, context);
    expect(errors).toEqual([]);
  });
});
