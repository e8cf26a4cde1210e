/**
 * How an alert's blast radius reads (docs/blast-radius.md): which mailboxes the app read from the
 * alerted addresses, when, and how. Unknown is said as unknown with its reason, never as zero; a
 * known radius says what could hide more (records without a mailbox or an app, throttled
 * mailboxes, an incomplete list). The payload comes back from storage, so nothing in it is trusted
 * blindly: every value is cleaned here, and a malformed block shows as unreadable.
 */
import type { BlastRadiusPayload } from '../alert-payload.js';
import { displayTime } from './format.js';
import { plural, untrusted, untrustedList } from './text.js';

/** One fact, as alert-view.ts lays them out. */
interface Fact {
  label: string;
  value: string;
}

const n = (v: unknown): number => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0);
const mailboxes = (k: number): string => (k === 1 ? '1 mailbox' : `${k} mailboxes`);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/** "between 03:10 and 03:52 UTC on 2026-11-26", or both full times when the days differ. */
export function accessSpan(first: string | null, last: string | null): string | undefined {
  const a = first ? displayTime(first) : undefined;
  const b = last ? displayTime(last) : undefined;
  if (!a || !b) return undefined;
  const [dayA, timeA] = a.split(' ');
  const [dayB, timeB] = b.split(' ');
  return dayA === dayB ? `between ${timeA} and ${timeB} UTC on ${dayA}` : `between ${a} and ${b}`;
}

/** "a, b … and 27 more": the count goes on past the names shown (and past the stored list). */
export function mailboxList(list: readonly string[], count: number, limit: number): string {
  const shown = list.slice(0, Math.max(0, limit)).map((m) => untrusted(m, 80));
  const rest = Math.max(count, list.length) - shown.length;
  if (shown.length === 0) return rest > 0 ? `${rest} not shown` : 'none';
  return rest > 0 ? `${shown.join(', ')} … and ${rest} more` : shown.join(', ');
}

function knownFacts(b: Extract<BlastRadiusPayload, { status: 'known' }>, ips: string, listItems: number): Fact[] {
  const r = b.radius;
  const count = n(r.mailboxes?.count);
  const list = strings(r.mailboxes?.list);
  if (count === 0 && n(r.records) === 0 && n(r.recordsWithoutApp) === 0) {
    return [
      {
        label: 'Blast radius',
        value: `no mail access by the app from ${ips} in the audit log — not proof that none happened: MailItemsAccessed is recorded only with Purview Audit (Premium)`,
      },
    ];
  }
  const perIp = (Array.isArray(r.perIp) ? r.perIp : []).filter((p) => typeof p === 'object' && p !== null && n(p.records) > 0);
  // The addresses the mail was read from, when the records say; otherwise every alerted one.
  const from =
    perIp.length > 0
      ? andList(
          perIp.map((p) => untrusted(String(p.ip), 45)),
          listItems,
        )
      : ips;
  const span = accessSpan(r.firstAccess, r.lastAccess);
  const caveats: string[] = [];
  if (r.complete !== true) caveats.push('list incomplete (record limit reached or unreadable records)');
  if (n(r.recordsWithoutMailbox) > 0) caveats.push(`${plural(n(r.recordsWithoutMailbox), 'record')} name no mailbox`);
  if (n(r.recordsWithoutApp) > 0) caveats.push(`${plural(n(r.recordsWithoutApp), 'more record')} from these addresses name no app`);
  const throttled = strings(r.throttledMailboxes);
  if (throttled.length > 0) caveats.push(`${mailboxes(throttled.length)} throttled: later reads went unaudited for 24 hours`);
  const headline = `${mailboxes(count)} read from ${from}${span ? ` ${span}` : ''}`;
  const facts: Fact[] = [{ label: 'Blast radius', value: caveats.length > 0 ? `${headline}; ${caveats.join('; ')}` : headline }];
  if (count > 0) facts.push({ label: 'Mailboxes read', value: mailboxList(list, count, listItems) });
  const how = [`${plural(n(r.bind), 'bind record')} naming ${plural(n(r.itemsNamed), 'message')}`];
  if (n(r.sync) > 0) how.push(`${plural(n(r.sync), 'sync record')} (a folder taken whole: every item in it counts as read)`);
  if (n(r.unknownAccessType) > 0) how.push(`${plural(n(r.unknownAccessType), 'record')} of unknown access type`);
  if (n(r.folders) > 0) how.push(`${plural(n(r.folders), 'folder')}`);
  facts.push({ label: 'Mail access', value: how.join('; ') });
  if (perIp.length > 1) {
    const lines = perIp.map((p) => `${untrusted(String(p.ip), 45)}: ${mailboxes(n(p.mailboxes))}`);
    facts.push({ label: 'By address', value: untrustedList(lines, listItems, 80) });
  }
  return facts;
}

/** "a, b and c" of cleaned values, capped: "a, b and 3 more". */
function andList(values: readonly string[], limit: number): string {
  const shown = values.slice(0, Math.max(1, limit));
  const rest = values.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  return shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}` : (shown[0] ?? '');
}

/** The blast radius facts of an alert, or none when it carries none. */
export function blastRadiusFacts(b: BlastRadiusPayload | undefined, listItems: number): Fact[] {
  if (typeof b !== 'object' || b === null) return [];
  const alerted = strings(b.ips).map((ip) => untrusted(ip, 45));
  const ips = alerted.length === 0 ? 'the alerted addresses' : alerted.length > 3 ? `the ${alerted.length} alerted addresses` : andList(alerted, listItems);
  switch (b.status) {
    case 'pending':
      return [{ label: 'Blast radius', value: `being determined: a Purview audit log query for the app's mail access from ${ips} is running` }];
    case 'unknown':
      return [{ label: 'Blast radius', value: `unknown: ${untrusted(String(b.reason), 300)} (${untrusted(String(b.code), 60)})` }];
    case 'known':
      return typeof b.radius === 'object' && b.radius !== null ? knownFacts(b, ips, listItems) : [{ label: 'Blast radius', value: 'unknown: unreadable' }];
    default:
      return [{ label: 'Blast radius', value: 'unknown: unreadable' }];
  }
}
