/**
 * The blast radius of an alert: of the mail access records an audit log query returned, those of
 * the alerted app from the alerted addresses, summed up. Pure.
 *
 * What counts (docs/blast-radius.md): a record is the app's when one of the app ids it names is
 * the app's; a record naming no app at all, from an alerted address, is counted apart
 * (`recordsWithoutApp`) — it may be the app, and dropping it would under-report. Unknown values
 * are counted as unknown, never as zero: a record without a mailbox adds to
 * `recordsWithoutMailbox`, one without folders to `recordsWithoutFolderCount`, and so on. A sync
 * record stands for a whole folder read (https://learn.microsoft.com/purview/audit-log-investigate-accounts).
 */
import type { BlastRadius, MailAccessRecord } from '../events.js';
import { normalizeIp } from './signins.js';

/** Mailboxes named in the summary; the count goes on past it. */
export const MAILBOX_LIST_LIMIT = 500;

export interface BlastRadiusInput {
  appId: string;
  ips: readonly string[];
  from: Date;
  to: Date;
  records: readonly MailAccessRecord[];
  /** Records that could not be read at all. */
  unreadableRecords?: number;
  /** False when credwatch stopped at its cap or Graph reported its record limit exceeded. */
  complete: boolean;
}

interface IpTally {
  records: number;
  mailboxes: Set<string>;
}

function timeRange(records: readonly MailAccessRecord[]): { first: Date | undefined; last: Date | undefined; without: number } {
  let first: number | undefined;
  let last: number | undefined;
  let without = 0;
  for (const r of records) {
    const t = r.at?.getTime();
    if (t === undefined) {
      without += 1;
      continue;
    }
    first = first === undefined ? t : Math.min(first, t);
    last = last === undefined ? t : Math.max(last, t);
  }
  return { first: first === undefined ? undefined : new Date(first), last: last === undefined ? undefined : new Date(last), without };
}

/** The blast radius of `input.appId` from `input.ips`. */
export function summarizeBlastRadius(input: BlastRadiusInput): BlastRadius {
  const appId = input.appId.toLowerCase();
  const ips = [...new Set(input.ips.map((ip) => normalizeIp(ip) ?? ip))];
  const alerted = new Set(ips);
  const counted: MailAccessRecord[] = [];
  let recordsWithoutApp = 0;
  let otherAppRecords = 0;
  let otherIpRecords = 0;
  for (const r of input.records) {
    // A record without an address cannot be placed at an alerted one: it is another address's as
    // far as this summary goes, and counted there rather than dropped.
    if (r.clientIp === undefined || !alerted.has(r.clientIp)) otherIpRecords += 1;
    else if (r.appIds.length === 0) recordsWithoutApp += 1;
    else if (!r.appIds.includes(appId)) otherAppRecords += 1;
    else counted.push(r);
  }

  const mailboxes = new Set<string>();
  const throttled = new Set<string>();
  const perIp = new Map<string, IpTally>(ips.map((ip) => [ip, { records: 0, mailboxes: new Set<string>() }]));
  const sums = { recordsWithoutMailbox: 0, itemsNamed: 0, recordsWithoutItemCount: 0, folders: 0, recordsWithoutFolderCount: 0, bind: 0, sync: 0, unknown: 0 };
  for (const r of counted) {
    const tally = perIp.get(r.clientIp as string) as IpTally;
    tally.records += 1;
    if (r.mailbox === undefined) sums.recordsWithoutMailbox += 1;
    else {
      mailboxes.add(r.mailbox);
      tally.mailboxes.add(r.mailbox);
      if (r.throttled === true) throttled.add(r.mailbox);
    }
    // A sync record names a folder, not items: every item in it is to be taken as read, a number
    // the record does not give.
    if (r.itemCount === undefined || r.accessType !== 'bind') sums.recordsWithoutItemCount += 1;
    else sums.itemsNamed += r.itemCount;
    if (r.folderCount === undefined) sums.recordsWithoutFolderCount += 1;
    else sums.folders += r.folderCount;
    if (r.accessType === 'bind') sums.bind += 1;
    else if (r.accessType === 'sync') sums.sync += 1;
    else sums.unknown += 1;
  }
  const list = [...mailboxes].sort();
  const time = timeRange(counted);
  return {
    appId,
    ips,
    from: input.from,
    to: input.to,
    records: counted.length,
    mailboxes: { count: list.length, list: list.slice(0, MAILBOX_LIST_LIMIT), truncated: list.length > MAILBOX_LIST_LIMIT },
    recordsWithoutMailbox: sums.recordsWithoutMailbox,
    itemsNamed: sums.itemsNamed,
    recordsWithoutItemCount: sums.recordsWithoutItemCount,
    folders: sums.folders,
    recordsWithoutFolderCount: sums.recordsWithoutFolderCount,
    bind: sums.bind,
    sync: sums.sync,
    unknownAccessType: sums.unknown,
    firstAccess: time.first,
    lastAccess: time.last,
    recordsWithoutTime: time.without,
    throttledMailboxes: [...throttled].sort(),
    perIp: [...perIp].map(([ip, t]) => ({ ip, records: t.records, mailboxes: t.mailboxes.size })),
    recordsWithoutApp,
    otherAppRecords,
    otherIpRecords,
    complete: input.complete && (input.unreadableRecords ?? 0) === 0,
    unreadableRecords: input.unreadableRecords ?? 0,
  };
}
