import { splitVersion } from './contract.js';
import { GRAPH_ENDPOINTS } from './endpoints.js';

/**
 * The Microsoft Graph application permissions credwatch uses, why, and which endpoints need them.
 * `doctor`, the README and error messages all read this one table.
 */
export interface PermissionNeed {
  /** The application role's value as it appears in the token's `roles` claim. */
  readonly role: string;
  readonly why: string;
  /** Whether credwatch works without it (with that data reported as unknown). */
  readonly optional: boolean;
  /** When it is needed at all (e.g. only with an email channel). */
  readonly when?: string;
}

export const REQUIRED_PERMISSIONS: readonly PermissionNeed[] = [
  {
    role: 'Application.Read.All',
    why: 'Read app registrations and service principals with their certificates, secrets, federated credentials and app role assignments (the inventory).',
    optional: false,
  },
  {
    role: 'Directory.Read.All',
    why: 'Read delegated permission grants (oauth2PermissionGrants) for mailbox scopes; Microsoft also requires it with AuditLog.Read.All to read sign-in logs.',
    optional: false,
  },
  {
    role: 'AuditLog.Read.All',
    why: "Read service-principal sign-ins (where the vendor's certificate was used from) and directory audits (credential and consent changes).",
    optional: false,
  },
  {
    role: 'Policy.Read.All',
    why: 'Read Conditional Access named locations used as vendor allowlists.',
    optional: true,
    when: 'a vendor uses a namedLocation range source',
  },
  {
    role: 'AuditLogsQuery-Exchange.Read.All',
    why: "Ask Purview's audit log (MailItemsAccessed) which mailboxes an alerted app read from the alerted addresses: the blast radius of sign-in alerts (docs/blast-radius.md). Without it alerts say the blast radius is unknown.",
    optional: true,
    when: 'the tenant is in the global cloud (the audit log query API exists only there)',
  },
  {
    role: 'Mail.Send',
    why: 'Send alert and report email through Graph sendMail. Grant it to the one sending mailbox with Exchange RBAC for Applications rather than tenant-wide consent in Entra (docs/alerts.md).',
    optional: true,
    when: 'an email channel is configured',
  },
];

/**
 * The permissions a Graph path needs, from the endpoint contract (endpoints.ts), or an empty list
 * when credwatch does not know it. `path` is the URL path, with or without the version segment.
 */
export function rolesForPath(path: string): readonly string[] {
  const split = splitVersion(path);
  const bare = split?.path ?? path;
  const endpoint = GRAPH_ENDPOINTS.find((e) => (!split || e.version === split.version) && e.pattern.test(bare));
  return endpoint?.permissions ?? [];
}
