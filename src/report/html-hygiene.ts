/**
 * Credential hygiene: one short table per problem, each with the reason it matters, so an admin
 * can work down the list in the Entra admin center (every app name links there).
 */
import { appCell, capped, COLOR, date, dataTable, heading, LIST_MAX, none, num, paragraph, small, subheading, text, time, type Column } from './html-kit.js';
import type { CredentialRow, WeeklyReport } from './types.js';

type HygieneKey = keyof WeeklyReport['hygiene'];

/**
 * Rows per hygiene list. There are eight lists, so they get half the usual cap: a large tenant's
 * email stays far under Graph's 4 MB request (which also carries the CSV attachment, base64-encoded).
 */
export const HYGIENE_MAX = 25;

/** Order and wording of the lists; the order is roughly "breaks soonest or hurts most" first. */
const LISTS: ReadonlyArray<{ key: HygieneKey; title: string; why: string }> = [
  { key: 'expiringSoon', title: 'Expiring within 30 days', why: 'Renew before the date or the integration stops; remove the ones nobody needs.' },
  { key: 'expired', title: 'Expired but still present', why: 'They no longer sign in, but show an app nobody maintains; delete them.' },
  {
    key: 'secretsOnMailboxApps',
    title: 'Client secrets on mailbox-capable apps',
    why: 'A secret is a password that works from anywhere; prefer a certificate or a federated credential.',
  },
  {
    key: 'onServicePrincipal',
    title: 'Credentials on service principal objects',
    why: 'Not shown on the App registrations blade, which is why attackers add them there; each needs an owner who can explain it.',
  },
  {
    key: 'weak',
    title: 'Weak certificates',
    why: 'RSA keys under 2048 bits or SHA-1 signatures (checked only where Graph returned the public key); replace them.',
  },
  { key: 'shared', title: 'Certificates shared by several apps', why: 'One stolen key opens every app that trusts it, as in the 2021 Mimecast attack.' },
  { key: 'longLived', title: 'Long-lived credentials', why: 'A stolen credential stays useful until it expires; shorter lifetimes limit the damage.' },
  { key: 'unusedPrivileged', title: 'Unused privileged credentials', why: 'Credentials that can reach mail but are never used are pure risk; remove them.' },
];

const KIND: Readonly<Record<CredentialRow['kind'], string>> = Object.freeze({ certificate: 'Certificate', secret: 'Client secret', federated: 'Federated' });

function expiry(c: CredentialRow): string {
  if (c.daysToExpiry === null) return c.endDateTime === null ? small('no end date') : time(c.endDateTime);
  const day = c.endDateTime ? `${date(c.endDateTime)}<br>` : '';
  if (c.daysToExpiry < 0) return `${day}<span style="color:${COLOR.red};white-space:nowrap;">expired ${num(-c.daysToExpiry)} d ago</span>`;
  const colour = c.daysToExpiry <= 30 ? COLOR.orange : COLOR.text;
  return `${day}<span style="color:${colour};white-space:nowrap;">in ${num(c.daysToExpiry)} d</span>`;
}

/** `expiringSoon` → `expiring soon`: the model's flags are identifiers, the reader wants words. */
function flagLabel(flag: string): string {
  return flag.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

/** The columns of every credential table (also used for new and removed credentials). */
export const CREDENTIAL_COLUMNS: readonly Column[] = [
  { title: 'App', width: 210 },
  { title: 'Credential' },
  { title: 'Expires', width: 110 },
  { title: 'Flags', width: 150 },
];

export function credentialCells(c: CredentialRow): string[] {
  // The app registration is where credentials normally live; only the unusual place is called out.
  const holder = c.holder === 'servicePrincipal' ? ` <b style="color:${COLOR.orange};">on service principal</b>` : '';
  return [
    appCell(c.appId, c.displayName),
    `${KIND[c.kind] ?? text(String(c.kind), 20)}${holder}<br>${small(text(c.keyId, 40))}`,
    expiry(c),
    c.flags.length > 0 ? text(c.flags.slice(0, 8).map(flagLabel).join(', '), 160) : small('—'),
  ];
}

export function credentialTable(list: readonly CredentialRow[], max = LIST_MAX): string {
  return dataTable(CREDENTIAL_COLUMNS, capped(list, max).map(credentialCells), list.length);
}

/** All hygiene lists; `unusedPrivileged: null` says UNKNOWN, because credential last use is not collected. */
export function hygieneRows(report: WeeklyReport, collectionComplete: boolean): string[] {
  const rows = heading('Credential hygiene', 'Problems with the credentials themselves, whatever the app does with them.');
  for (const list of LISTS) {
    const items = report.hygiene[list.key];
    rows.push(
      subheading(`${list.title} <span style="font-weight:normal;color:${COLOR.subtle};">(${items === null ? 'unknown' : num(items.length)})</span>`),
      paragraph(small(list.why)),
    );
    if (items === null) {
      rows.push(
        paragraph(
          `<span style="color:${COLOR.amber};font-weight:bold;">UNKNOWN: not collected.</span> credwatch does not read when a credential was last used yet, so this list cannot be built. This is not a clean result.`,
        ),
      );
    } else if (items.length === 0) {
      rows.push(none(collectionComplete));
    } else {
      rows.push(credentialTable(items, HYGIENE_MAX));
    }
  }
  return rows;
}
