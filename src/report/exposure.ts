/**
 * The exposure score of a mailbox-capable app: six parts that add up to at most 100, each with the
 * reason it got its points, so the ranking explains itself. The weights follow what made the
 * Mimecast attack possible: reach into every mailbox and a credential usable from anywhere count
 * most; sign-ins from outside the vendor's networks are the attack itself.
 */
import type { ExposureRow, InventoryAppRow, ScorePart } from './types.js';
import { grantLabel } from './inventory-rows.js';

/** Points per part; the maximum score is their sum (100). */
export const SCORE_POINTS = Object.freeze({
  /**
   * `grantedMailboxes` (IMAP/POP/SMTP roles) scores as `allMailboxes`: Exchange grants those
   * mailboxes (Add-MailboxPermission) and Graph cannot see how many, so it may be every one
   * (docs/inventory.md, "Mailbox reach").
   */
  mailboxReach: { allMailboxes: 35, grantedMailboxes: 35, allUsers: 25, someUsers: 10 },
  credentialType: { secret: 15, certificate: 8, none: 0 },
  /** Per distinct hygiene problem on the app's credentials, capped at `hygieneMax`. */
  hygiene: { expired: 5, weak: 5, expiringSoon: 3, longLived: 4, onServicePrincipal: 4, shared: 4 },
  hygieneMax: 15,
  thirdParty: { thirdParty: 10, unknown: 5 },
  unexpectedSignIns: 20,
  unused: 5,
});

/** What the week's sign-in aggregates say about one app. */
export interface AppSignIns {
  total: number;
  unexpected: number;
  unexpectedNetworks: number;
}

function reachPart(app: InventoryAppRow): ScorePart {
  const order = ['allMailboxes', 'grantedMailboxes', 'allUsers', 'someUsers'] as const;
  const widest = order.find((r) => app.mailboxPermissions.some((p) => p.reach === r));
  if (!widest) return { factor: 'mailboxReach', points: 0, reason: 'no mailbox permission' };
  const labels = app.mailboxPermissions.filter((p) => p.reach === widest).map(grantLabel);
  const why = {
    allMailboxes: 'every mailbox unless scoped in Exchange',
    allUsers: "every user's mailbox (admin consent)",
    grantedMailboxes: 'mailboxes granted in Exchange — Graph cannot see how many',
    someUsers: 'the mailboxes of users who consented',
  }[widest];
  return { factor: 'mailboxReach', points: SCORE_POINTS.mailboxReach[widest], reason: `${labels.join(', ')}: ${why}` };
}

function credentialPart(app: InventoryAppRow): ScorePart {
  const kinds = new Set(app.credentials.map((c) => c.kind));
  if (kinds.has('secret'))
    return { factor: 'credentialType', points: SCORE_POINTS.credentialType.secret, reason: 'client secret: a copied secret works from anywhere' };
  if (kinds.has('certificate'))
    return { factor: 'credentialType', points: SCORE_POINTS.credentialType.certificate, reason: 'certificate: its private key is what an attacker needs' };
  if (kinds.has('federated')) return { factor: 'credentialType', points: 0, reason: 'federated credential only: no secret or key to steal here' };
  const where = app.ownership === 'thirdParty' ? " (a vendor app's credentials live in the vendor's tenant)" : '';
  return { factor: 'credentialType', points: 0, reason: `no credential visible in this tenant${where}` };
}

function hygienePart(app: InventoryAppRow): ScorePart {
  const flags = new Set(app.credentials.flatMap((c) => c.flags.map((f) => (f === 'weakKey' || f === 'sha1Signature' ? 'weak' : f))));
  const problems = (Object.keys(SCORE_POINTS.hygiene) as Array<keyof typeof SCORE_POINTS.hygiene>).filter((f) => flags.has(f));
  if (problems.length === 0) return { factor: 'hygiene', points: 0, reason: app.credentials.length === 0 ? 'no credential to assess' : 'no hygiene problem' };
  const points = Math.min(
    SCORE_POINTS.hygieneMax,
    problems.reduce((sum, f) => sum + SCORE_POINTS.hygiene[f], 0),
  );
  return { factor: 'hygiene', points, reason: problems.join(', ') };
}

function thirdPartyPart(app: InventoryAppRow): ScorePart {
  if (app.ownership === 'thirdParty')
    return { factor: 'thirdParty', points: SCORE_POINTS.thirdParty.thirdParty, reason: 'a vendor holds the credential; its breach is yours' };
  if (app.ownership === 'unknown') return { factor: 'thirdParty', points: SCORE_POINTS.thirdParty.unknown, reason: 'owner unknown' };
  return { factor: 'thirdParty', points: 0, reason: app.ownership === 'own' ? 'registered in this tenant' : 'Microsoft first-party' };
}

function signInParts(signIns: AppSignIns | null): ScorePart[] {
  if (!signIns) {
    // Not collected is unknown: no points, and the reason says so instead of "none seen".
    return [
      { factor: 'unexpectedSignIns', points: 0, reason: 'unknown: sign-ins were not collected this week' },
      { factor: 'unused', points: 0, reason: 'unknown: sign-ins were not collected this week' },
    ];
  }
  const unexpected: ScorePart =
    signIns.unexpected > 0
      ? {
          factor: 'unexpectedSignIns',
          points: SCORE_POINTS.unexpectedSignIns,
          reason: `${signIns.unexpected} sign-in${signIns.unexpected === 1 ? '' : 's'} from ${signIns.unexpectedNetworks} network${signIns.unexpectedNetworks === 1 ? '' : 's'} outside the allowlist`,
        }
      : { factor: 'unexpectedSignIns', points: 0, reason: 'none outside the allowlist' };
  const unused: ScorePart =
    signIns.total === 0
      ? { factor: 'unused', points: SCORE_POINTS.unused, reason: 'no sign-ins seen this week: access nobody uses is exposure without benefit' }
      : { factor: 'unused', points: 0, reason: `${signIns.total} sign-in${signIns.total === 1 ? '' : 's'} this week` };
  return [unexpected, unused];
}

/**
 * Scores one app. `signIns` is null when sign-ins were not collected in the week (then neither
 * sign-in part gives points); an app absent from collected aggregates has `{ total: 0, … }`.
 */
export function scoreApp(app: InventoryAppRow, signIns: AppSignIns | null): ExposureRow {
  const parts = [reachPart(app), credentialPart(app), hygienePart(app), thirdPartyPart(app), ...signInParts(signIns)];
  return {
    appId: app.appId,
    displayName: app.displayName,
    ownership: app.ownership,
    mailboxPermissions: app.mailboxPermissions.map(grantLabel),
    credentials: app.credentials.length,
    score: parts.reduce((sum, p) => sum + p.points, 0),
    parts,
  };
}

/** Mailbox-capable apps, highest score first (then by name, then app id, for a stable order). */
export function rankExposure(apps: readonly InventoryAppRow[], signInsOf: (appId: string) => AppSignIns | null): ExposureRow[] {
  return apps
    .filter((a) => a.mailboxCapable)
    .map((a) => scoreApp(a, signInsOf(a.appId)))
    .sort((a, b) => b.score - a.score || a.displayName.localeCompare(b.displayName) || a.appId.localeCompare(b.appId));
}
