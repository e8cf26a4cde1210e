/**
 * Enough of NCRONTAB — the 6-field cron Azure Functions timers take
 * (https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer#ncrontab-expressions)
 * — to know how far apart a schedule's ticks are, and which tick a moment belongs to. The scan
 * fan-out spreads its waves over that interval and, when the tenants do not fit in one, rotates
 * through them tick by tick.
 *
 * Fields: `{second} {minute} {hour} {day} {month} {day-of-week}`, each `*`, a value, a range `a-b`,
 * any of those with a step (`/n` after it: every n-th value), or a comma list of them; months and
 * days of the week also by English name, in any case, whole or cut to three letters or more
 * (`Jan`, `January`, `mon`). Always UTC on the plans credwatch supports.
 *
 * Checked as strictly as the host's NCrontab library (github.com/atifaziz/NCrontab,
 * CrontabFieldImpl.cs), or more: a schedule that passes here is one the host indexes. Day of week
 * is 0–6 there (Sunday is 0; the 7 other crons accept fails to index the function). What NCrontab
 * bends rather than refuses is refused here, since it is surely a typing slip: a backwards range
 * (it swaps `5-2` to `2-5`), a step of 0 (read as 1), a name cut below three letters (`Ma` is March
 * there, by list order).
 * A day must match both the day-of-month and the day-of-week field, as the host's NCrontab library
 * evaluates them (they only differ from classic cron when both are restricted).
 */

const DAY_MS = 86_400_000;
/** Ordinals count ticks from here; any fixed instant works, it only has to be the same every run. */
const EPOCH = Date.UTC(2000, 0, 1);

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** Name index → value (months are 1-based). */
  nameBase?: number;
}

const FIELDS: readonly FieldSpec[] = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, nameBase: 1 },
  { name: 'day-of-week', min: 0, max: 6, names: WEEKDAYS, nameBase: 0 },
];

/** A parsed schedule: the allowed values of each field. */
export interface Ncrontab {
  readonly seconds: readonly number[];
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly days: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly weekdays: ReadonlySet<number>;
}

/** A name's index: the whole English name or its first three letters or more, in any case. */
function nameIndex(text: string, names: readonly string[] | undefined): number {
  const lower = text.toLowerCase();
  return lower.length < 3 ? -1 : (names?.findIndex((n) => n.startsWith(lower)) ?? -1);
}

function value(text: string, spec: FieldSpec): number {
  const named = nameIndex(text, spec.names);
  const n = named >= 0 ? named + (spec.nameBase ?? 0) : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < spec.min || n > spec.max) {
    const names = spec.names ? ` or a name such as "${spec.names[0]!.slice(0, 3)}"` : '';
    throw new Error(`${spec.name} "${text}" is not a number from ${spec.min} to ${spec.max}${names}`);
  }
  return n;
}

function field(text: string, spec: FieldSpec): number[] {
  const values = new Set<number>();
  for (const item of text.split(',')) {
    const [range = '', step, extra] = item.split('/');
    if (extra !== undefined || range === '') throw new Error(`${spec.name} "${item}" is not a value, range or step`);
    const by = step === undefined ? 1 : value(step, { ...spec, names: undefined, min: 1, max: spec.max + 1 });
    let from: number;
    let to: number;
    if (range === '*') [from, to] = [spec.min, spec.max];
    else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      [from, to] = [value(a, spec), value(b, spec)];
      if (from > to) throw new Error(`${spec.name} range "${range}" runs backwards`);
    } else {
      from = value(range, spec);
      to = step === undefined ? from : spec.max;
    }
    for (let v = from; v <= to; v += by) values.add(v);
  }
  return [...values].sort((a, b) => a - b);
}

/** Parses a 6-field NCRONTAB expression; throws with the offending field when it is not one. */
export function parseNcrontab(expression: string): Ncrontab {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 6) throw new Error(`expected 6 fields (second minute hour day month day-of-week), found ${parts.length}`);
  const [seconds, minutes, hours, days, months, weekdays] = FIELDS.map((spec, i) => field(parts[i] ?? '', spec));
  return { seconds: seconds!, minutes: minutes!, hours: hours!, days: new Set(days), months: new Set(months), weekdays: new Set(weekdays) };
}

/** Seconds after midnight of every tick of a matching day, ascending. */
function timesOfDay(s: Ncrontab): number[] {
  const times: number[] = [];
  for (const h of s.hours) for (const m of s.minutes) for (const sec of s.seconds) times.push(h * 3600 + m * 60 + sec);
  return times;
}

function dayMatches(s: Ncrontab, dayStartMs: number): boolean {
  const d = new Date(dayStartMs);
  return s.months.has(d.getUTCMonth() + 1) && s.days.has(d.getUTCDate()) && s.weekdays.has(d.getUTCDay());
}

/**
 * The shortest time between two consecutive ticks over the two years from `from` (undefined when
 * the schedule never fires then, e.g. 30 February). The shortest, not the usual: waves planned to
 * fit it fit every gap of an irregular schedule such as `0 0,5 * * * *`.
 */
export function shortestIntervalInMs(s: Ncrontab, from: Date): number | undefined {
  const times = timesOfDay(s);
  const first = times[0] ?? 0;
  const last = times.at(-1) ?? 0;
  let shortest = Infinity;
  for (let i = 1; i < times.length; i += 1) shortest = Math.min(shortest, (times[i] ?? 0) - (times[i - 1] ?? 0));
  const today = Math.floor(from.getTime() / DAY_MS) * DAY_MS;
  let previous: number | undefined;
  for (let day = today; day < today + 731 * DAY_MS; day += DAY_MS) {
    if (!dayMatches(s, day)) continue;
    if (previous !== undefined) shortest = Math.min(shortest, (day - previous) / 1000 - last + first);
    previous = day;
  }
  if (previous === undefined) return undefined;
  return Number.isFinite(shortest) ? shortest * 1000 : 731 * DAY_MS;
}

/**
 * How many ticks the schedule has had from 2000-01-01 up to and including `at`: consecutive ticks
 * get consecutive numbers whatever the gaps between them, so a rotation keyed on it visits every
 * slice in turn even on an irregular schedule, without keeping any state.
 */
export function tickOrdinal(s: Ncrontab, at: Date): number {
  const perDay = s.hours.length * s.minutes.length * s.seconds.length;
  const today = Math.floor(at.getTime() / DAY_MS) * DAY_MS;
  let count = 0;
  for (let day = EPOCH; day < today; day += DAY_MS) if (dayMatches(s, day)) count += perDay;
  if (dayMatches(s, today)) {
    const secondOfDay = Math.floor((at.getTime() - today) / 1000);
    count += timesOfDay(s).filter((t) => t <= secondOfDay).length;
  }
  return count;
}
