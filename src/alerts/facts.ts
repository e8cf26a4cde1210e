/**
 * What a receiver has been told about an alert, and what is new since: the facts whose growth is
 * news (docs/alerts.md, "Delivery semantics", Updates) — a new source IP or network means more
 * attacker infrastructure, a new resource means the credential reached something else, and the
 * first success means the attacker got in. Counts and last-seen grow with every sign-in and are
 * not news on their own: they wait for the repeat interval.
 */
import type { AlertUpdate } from '../alert-payload.js';
import type { NotifiedFacts, StoredAlert } from '../state/types.js';

export type { AlertUpdate } from '../alert-payload.js';

/** Nothing told yet: what a receiver that never got the alert knows. */
export const NOTHING_TOLD: NotifiedFacts = Object.freeze({ ips: [], asns: [], resources: [], success: false }) as NotifiedFacts;

/**
 * The settled blast radius as told: `known:<intent>` or `unknown:<code>`; undefined while none is
 * settled (pending is not news: the alert already says it is being asked).
 */
export function blastRadiusKey(alert: StoredAlert): string | undefined {
  const b = alert.blastRadius;
  if (b?.status === 'known') return `known:${b.intentId ?? ''}`;
  if (b?.status === 'unknown') return `unknown:${b.code}`;
  return undefined;
}

/** The alert's facts as they stand (fresh arrays, so later merges cannot change them). */
export function factsOf(alert: StoredAlert): NotifiedFacts {
  const facts: NotifiedFacts = { ips: [...alert.ips], asns: [...alert.asns], resources: [...alert.resources], success: alert.successCount > 0 };
  const blast = blastRadiusKey(alert);
  return blast === undefined ? facts : { ...facts, blastRadius: blast };
}

/**
 * What the alert was last notified with, or undefined if it never was. An alert stored before the
 * facts were kept counts as notified with everything it held then: upgrading credwatch must not
 * send every open alert again as an update (docs/state.md, "Upgrading").
 */
export function notifiedFactsOf(alert: StoredAlert): NotifiedFacts | undefined {
  if (alert.notifiedAt === undefined) return undefined;
  return alert.notifiedFacts ?? factsOf(alert);
}

/** Codes of a query that was asked and ended without an answer (docs/blast-radius.md). */
const ENDED_WITHOUT_ANSWER: ReadonlySet<string> = new Set(['BLAST_RADIUS_QUERY_FAILED', 'BLAST_RADIUS_TIMED_OUT']);

function isNews(b: StoredAlert['blastRadius']): boolean {
  return b?.status === 'known' || (b?.status === 'unknown' && ENDED_WITHOUT_ANSWER.has(b.code));
}

/** What `alert` holds beyond `before`, or undefined when nothing is new. */
export function newSince(before: NotifiedFacts, alert: StoredAlert): AlertUpdate | undefined {
  const update: AlertUpdate = {
    ips: alert.ips.filter((ip) => !before.ips.includes(ip)),
    asns: alert.asns.filter((asn) => !before.asns.includes(asn)),
    resources: alert.resources.filter((r) => !before.resources.includes(r)),
    firstSuccess: !before.success && alert.successCount > 0,
  };
  // A blast radius settled since the receiver was told is news once; the next differs only when a
  // later query (the alert outgrew the first) settles. An unknown one is news only when a query was
  // asked and ended without an answer: a missing permission, a national cloud or the daily cap is
  // a standing fact the alert states whenever it is shown, not worth a notification of its own.
  const blast = blastRadiusKey(alert);
  if (blast !== undefined && blast !== before.blastRadius && isNews(alert.blastRadius))
    update.blastRadius = alert.blastRadius?.status === 'known' ? 'known' : 'unknown';
  const empty =
    update.ips.length === 0 && update.asns.length === 0 && update.resources.length === 0 && !update.firstSuccess && update.blastRadius === undefined;
  return empty ? undefined : update;
}
