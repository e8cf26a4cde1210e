import type { AuditActivityKind, AuditEvent, CredentialChange } from '../events.js';
import type { GraphApi } from '../graph/client.js';
import { grantedPermissions, grantParties, unquote } from './audit-grants.js';
import { isObject, objects, str, date, type Json } from './values.js';

/** The activities credwatch reads (category ApplicationManagement), matched after folding. */
const ACTIVITY_KINDS: ReadonlyArray<readonly [string, AuditActivityKind]> = [
  // Logged with a hyphen in the docs and an en dash plus a trailing space in the wild.
  ['certificates and secrets management', 'applicationCredentialsChanged'],
  ['add service principal credentials', 'servicePrincipalCredentialsAdded'],
  ['remove service principal credentials', 'servicePrincipalCredentialsRemoved'],
  ['consent to application', 'consent'],
  ['add app role assignment to service principal', 'appRoleAssignmentAdded'],
  ['add delegated permission grant', 'delegatedGrantAdded'],
  ['add owner to application', 'ownerAdded'],
  ['update service principal', 'servicePrincipalUpdated'],
];

/** Lower-cases and folds every dash and run of white space, so `–`, `—`, `-` and `  ` compare equal. */
export function foldActivity(name: string): string {
  return name
    .toLowerCase()
    .replace(/[\u2010-\u2015\u2212-]/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
}

export function activityKind(name: string): AuditActivityKind {
  const folded = foldActivity(name);
  for (const [needle, kind] of ACTIVITY_KINDS) if (folded.includes(needle)) return kind;
  return 'other';
}

/** `[KeyIdentifier=…,KeyType=…,KeyUsage=…,DisplayName=…]` entries of a KeyDescription value. */
function parseKeyDescriptions(value: unknown): Map<string, Omit<CredentialChange, 'change'>> {
  const out = new Map<string, Omit<CredentialChange, 'change'>>();
  const text = str(value);
  if (!text) return out;
  let entries: unknown;
  try {
    entries = JSON.parse(text);
  } catch {
    entries = [text];
  }
  for (const entry of Array.isArray(entries) ? entries : [entries]) {
    if (typeof entry !== 'string') continue;
    const fields = new Map<string, string>();
    for (const m of entry.replace(/^\[|\]$/g, '').matchAll(/(KeyIdentifier|KeyType|KeyUsage|DisplayName)=([^,\]]*)/g)) {
      if (m[1] && m[2] !== undefined) fields.set(m[1], m[2]);
    }
    const keyId = fields.get('KeyIdentifier') || undefined;
    out.set(keyId ?? entry, {
      keyId,
      keyType: fields.get('KeyType') || undefined,
      keyUsage: fields.get('KeyUsage') || undefined,
      displayName: fields.get('DisplayName') || undefined,
    });
  }
  return out;
}

/** Added and removed credentials: the difference between KeyDescription's old and new lists. */
function credentialChanges(modified: readonly Json[]): CredentialChange[] {
  const changes: CredentialChange[] = [];
  for (const p of modified) {
    if (str(p.displayName) !== 'KeyDescription') continue;
    const before = parseKeyDescriptions(p.oldValue);
    const after = parseKeyDescriptions(p.newValue);
    for (const [key, value] of after) if (!before.has(key)) changes.push({ change: 'added', ...value });
    for (const [key, value] of before) if (!after.has(key)) changes.push({ change: 'removed', ...value });
  }
  return changes;
}

function appIdOf(modified: readonly Json[]): string | undefined {
  for (const p of modified) if (str(p.displayName) === 'ServicePrincipal.AppId' || str(p.displayName) === 'AppId') return unquote(p.newValue);
  return undefined;
}

/** A Graph directoryAudit → AuditEvent, or a reason it cannot be used. */
export function normalizeAudit(row: Json): AuditEvent | { quarantined: string; id: string | undefined } {
  const id = str(row.id);
  const activityAt = date(row.activityDateTime);
  const activity = str(row.activityDisplayName);
  if (!id || !activityAt || !activity) return { quarantined: 'missing id, activityDateTime or activityDisplayName', id };
  const initiated = isObject(row.initiatedBy) ? row.initiatedBy : {};
  const user = isObject(initiated.user) ? initiated.user : undefined;
  const app = isObject(initiated.app) ? initiated.app : undefined;
  const targets = objects(row.targetResources);
  const target = targets[0] ?? {};
  const modified = objects(target.modifiedProperties);
  const kind = activityKind(activity);
  const grant = grantParties(kind, targets);
  return {
    id,
    activityAt,
    activity,
    kind,
    result: str(row.result),
    initiatedBy: user
      ? { type: 'user', id: str(user.id), name: str(user.userPrincipalName) ?? str(user.displayName) }
      : app
        ? { type: 'app', id: str(app.servicePrincipalId) ?? str(app.appId), name: str(app.displayName) }
        : { type: 'unknown', id: undefined, name: undefined },
    target: { id: str(target.id), type: str(target.type), displayName: str(target.displayName), appId: appIdOf(modified) },
    credentialChanges: credentialChanges(modified),
    permissions: grantedPermissions(modified),
    ...(grant ? { grant } : {}),
  };
}

/**
 * Directory audit pages in a window. Category is filtered client-side: the activities we need are
 * few and the filter forms Graph accepts on audits vary; the time filter keeps pages small. No
 * `$select`: the List directoryAudits page documents `$filter`, `$top`, `$orderby` and skiptoken only
 * (https://learn.microsoft.com/graph/api/directoryaudit-list).
 */
export async function* readAuditPages(
  graph: GraphApi,
  from: Date,
  to: Date,
): AsyncGenerator<{ events: AuditEvent[]; quarantined: Array<{ id: string | undefined; reason: string }>; raw: number }> {
  const filter = `activityDateTime ge ${from.toISOString()} and activityDateTime le ${to.toISOString()}`;
  for await (const page of graph.listPages<Json>('/auditLogs/directoryAudits', { filter, top: 999 })) {
    const events: AuditEvent[] = [];
    const quarantined: Array<{ id: string | undefined; reason: string }> = [];
    for (const row of page) {
      if (str(row.category) && str(row.category) !== 'ApplicationManagement') continue;
      const event = normalizeAudit(row);
      if ('quarantined' in event) quarantined.push({ id: event.id, reason: event.quarantined });
      else if (event.kind !== 'other') events.push(event);
    }
    yield { events, quarantined, raw: page.length };
  }
}
