import type { AppCredential, Inventory, InventoryApp } from '../events.js';

export interface PostureThresholds {
  expiringWithinDays: number;
  certificateMaxLifetimeInDays: number;
  secretMaxLifetimeInDays: number;
}

export const DEFAULT_POSTURE: PostureThresholds = Object.freeze({
  expiringWithinDays: 30,
  certificateMaxLifetimeInDays: 365,
  secretMaxLifetimeInDays: 180,
});

export type CredentialFlag = 'expired' | 'expiringSoon' | 'longLived' | 'onServicePrincipal' | 'secretOnMailboxApp' | 'weakKey' | 'sha1Signature' | 'shared';

export interface AssessedCredential {
  credential: AppCredential;
  flags: CredentialFlag[];
  /** Whole days until `endDateTime` (negative once expired); undefined without an end date. */
  daysToExpiry: number | undefined;
  lifetimeInDays: number | undefined;
}

export interface AppAssessment {
  app: InventoryApp;
  mailboxCapable: boolean;
  credentials: AssessedCredential[];
}

const DAY = 86_400_000;

/**
 * Posture of every credential: expiry, lifetime, placement and strength. Pure: the same inventory
 * and clock give the same answer, which the report and the posture rules both rely on.
 */
export function assessInventory(inventory: Inventory, now: Date, thresholds: PostureThresholds = DEFAULT_POSTURE): AppAssessment[] {
  const appsByThumbprint = new Map<string, Set<string>>();
  for (const app of inventory.apps) {
    for (const c of app.credentials) {
      if (c.kind !== 'certificate' || !c.thumbprintSha1) continue;
      const set = appsByThumbprint.get(c.thumbprintSha1) ?? new Set<string>();
      set.add(app.appId);
      appsByThumbprint.set(c.thumbprintSha1, set);
    }
  }
  const out = inventory.apps.map((app) => {
    const mailboxCapable = app.mailboxPermissions.length > 0;
    const credentials = app.credentials.map((credential) =>
      assessCredential(credential, {
        now,
        thresholds,
        mailboxCapable,
        sharedWith: credential.thumbprintSha1 ? (appsByThumbprint.get(credential.thumbprintSha1)?.size ?? 0) : 0,
      }),
    );
    return { app, mailboxCapable, credentials };
  });
  return out.sort(compareApps);
}

interface CredentialContext {
  now: Date;
  thresholds: PostureThresholds;
  mailboxCapable: boolean;
  sharedWith: number;
}

function assessCredential(credential: AppCredential, ctx: CredentialContext): AssessedCredential {
  const flags: CredentialFlag[] = [];
  const end = credential.endDateTime?.getTime();
  const start = credential.startDateTime?.getTime();
  const daysToExpiry = end === undefined ? undefined : Math.floor((end - ctx.now.getTime()) / DAY);
  const lifetimeInDays = end === undefined || start === undefined ? undefined : Math.round((end - start) / DAY);
  if (end !== undefined && end <= ctx.now.getTime()) flags.push('expired');
  else if (daysToExpiry !== undefined && daysToExpiry <= ctx.thresholds.expiringWithinDays) flags.push('expiringSoon');
  const maxLifetime = credential.kind === 'secret' ? ctx.thresholds.secretMaxLifetimeInDays : ctx.thresholds.certificateMaxLifetimeInDays;
  if (credential.kind !== 'federated' && lifetimeInDays !== undefined && lifetimeInDays > maxLifetime) flags.push('longLived');
  if (credential.holder === 'servicePrincipal') flags.push('onServicePrincipal');
  if (credential.kind === 'secret' && ctx.mailboxCapable) flags.push('secretOnMailboxApp');
  const cert = credential.certificate;
  if (cert && cert.keyAlgorithm === 'rsa' && (cert.keySizeInBits ?? 0) < 2048) flags.push('weakKey');
  if (cert && /SHA-1|sha1/i.test(cert.signatureAlgorithm)) flags.push('sha1Signature');
  if (ctx.sharedWith > 1) flags.push('shared');
  return { credential, flags, daysToExpiry, lifetimeInDays };
}

const OWNERSHIP_ORDER = { thirdParty: 0, own: 1, unknown: 2, microsoft: 3 } as const;

/** Mailbox-capable first, then third-party before own before Microsoft, then by name. */
function compareApps(a: AppAssessment, b: AppAssessment): number {
  if (a.mailboxCapable !== b.mailboxCapable) return a.mailboxCapable ? -1 : 1;
  const byOwner = OWNERSHIP_ORDER[a.app.ownership] - OWNERSHIP_ORDER[b.app.ownership];
  if (byOwner !== 0) return byOwner;
  return a.app.displayName.localeCompare(b.app.displayName);
}
