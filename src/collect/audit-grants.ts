/**
 * What a grant audit row says was granted, and to whom. The three grant activities name their
 * parties differently (docs/rules.md, "How grant audit rows name the app"):
 *
 * - "Add delegated permission grant" and "Add app role assignment to service principal" name the
 *   API (Microsoft Graph, Office 365 Exchange Online) as their first target and carry the client in
 *   the property `ServicePrincipal.ObjectID` (and, in the real rows, as a second target). Microsoft's
 *   security operations guide filters both on "Target(s) identifies an API"
 *   (https://learn.microsoft.com/entra/architecture/security-operations-applications).
 * - "Consent to application" names the client as its target and lists the grants in
 *   `ConsentAction.Permissions` as `[before] => [after]`.
 *
 * Scope values are whole lists, before and after the change: only the names the change added are
 * the grant.
 */
import type { AuditActivityKind, AuditGrantParty } from '../events.js';
import { str, type Json } from './values.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Unquotes a modifiedProperties value (`"\"Mail.Read\""` → `Mail.Read`); null and `""` are undefined. */
export function unquote(value: unknown): string | undefined {
  const text = str(value);
  if (!text) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'string' ? str(parsed) : text;
  } catch {
    return text;
  }
}

function property(modified: readonly Json[], name: string): Json | undefined {
  return modified.find((p) => str(p.displayName) === name);
}

function newValueOf(modified: readonly Json[], name: string): string | undefined {
  return unquote(property(modified, name)?.newValue);
}

/** Space-separated names (the real rows pad them: `" User.Read"`). */
function words(value: string | undefined): string[] {
  return (value ?? '').split(/\s+/).filter(Boolean);
}

/** Names in `after` and not in `before`, in `after`'s order, once each. */
function addedNames(before: readonly string[], after: readonly string[]): string[] {
  const old = new Set(before);
  return [...new Set(after.filter((n) => !old.has(n)))];
}

interface ConsentEntry {
  clientId: string | undefined;
  resourceId: string | undefined;
  scopes: string[];
}

/** The `[Id: …, ClientId: …, ResourceId: …, ConsentType: …, Scope: a b, …]` entries of one side. */
function consentEntries(side: string): ConsentEntry[] {
  const entries: ConsentEntry[] = [];
  for (const [, body = ''] of side.matchAll(/\[([^[\]]*)\]/g)) {
    const fields = new Map<string, string>();
    for (const part of body.split(',')) {
      const m = /^\s*(\w+):\s*(.*?)\s*$/.exec(part);
      if (m?.[1]) fields.set(m[1], m[2] ?? '');
    }
    if (fields.size === 0) continue;
    entries.push({ clientId: str(fields.get('ClientId')), resourceId: str(fields.get('ResourceId')), scopes: words(fields.get('Scope')) });
  }
  return entries;
}

/** `ConsentAction.Permissions` split at `=>`; a value without one is all "after". */
function consentSides(value: string | undefined): { before: ConsentEntry[]; after: ConsentEntry[] } {
  const text = value ?? '';
  const arrow = text.indexOf('=>');
  return arrow < 0
    ? { before: [], after: consentEntries(text) }
    : { before: consentEntries(text.slice(0, arrow)), after: consentEntries(text.slice(arrow + 2)) };
}

/** Per resource, the scopes the consent added; the resource of the first entry that added any. */
function consentAdded(value: string | undefined): { names: string[]; entry: ConsentEntry | undefined } {
  const { before, after } = consentSides(value);
  const names: string[] = [];
  let entry: ConsentEntry | undefined;
  for (const a of after) {
    const old = before.filter((b) => b.resourceId === a.resourceId).flatMap((b) => b.scopes);
    const added = addedNames(old, a.scopes);
    if (added.length > 0) entry ??= a;
    names.push(...added);
  }
  return { names: [...new Set(names)], entry: entry ?? after[0] };
}

/** The role and scope names a change granted: new minus old of each permission property. */
export function grantedPermissions(modified: readonly Json[]): string[] {
  const out: string[] = [];
  for (const name of ['AppRole.Value', 'DelegatedPermissionGrant.Scope']) {
    const p = property(modified, name);
    if (p) out.push(...addedNames(words(unquote(p.oldValue)), words(unquote(p.newValue))));
  }
  out.push(...consentAdded(newValueOf(modified, 'ConsentAction.Permissions')).names);
  return [...new Set(out)];
}

/** The app id among a service principal's names (`TargetId.ServicePrincipalNames`, `;`-separated). */
function appIdIn(names: string | undefined): string | undefined {
  return (names ?? '')
    .split(';')
    .find((n) => GUID.test(n.trim()))
    ?.trim();
}

const GRANT_PROPERTIES = ['AppRole.Value', 'DelegatedPermissionGrant.Scope'];

/** The API and the client of an app role assignment or delegated grant row. */
function assignmentParties(targets: readonly Json[]): { client: AuditGrantParty; resource: AuditGrantParty } {
  const carries = (t: Json) =>
    (Array.isArray(t.modifiedProperties) ? (t.modifiedProperties as Json[]) : []).some((p) => GRANT_PROPERTIES.includes(str(p.displayName) ?? ''));
  const resourceTarget = targets.find(carries) ?? targets[0] ?? {};
  const modified = Array.isArray(resourceTarget.modifiedProperties) ? (resourceTarget.modifiedProperties as Json[]) : [];
  const clientId = newValueOf(modified, 'ServicePrincipal.ObjectID');
  const clientTarget = targets.find((t) => t !== resourceTarget && (clientId === undefined || str(t.id)?.toLowerCase() === clientId.toLowerCase()));
  return {
    client: {
      servicePrincipalId: clientId ?? str(clientTarget?.id),
      appId: newValueOf(modified, 'ServicePrincipal.AppId'),
      displayName: newValueOf(modified, 'ServicePrincipal.DisplayName') ?? str(clientTarget?.displayName),
    },
    resource: {
      servicePrincipalId: str(resourceTarget.id),
      appId: appIdIn(newValueOf(modified, 'TargetId.ServicePrincipalNames')),
      displayName: str(resourceTarget.displayName),
    },
  };
}

/** The client (the row's target) and the API (the consented entry's ResourceId) of a consent row. */
function consentParties(targets: readonly Json[]): { client: AuditGrantParty; resource: AuditGrantParty } {
  const target = targets[0] ?? {};
  const modified = Array.isArray(target.modifiedProperties) ? (target.modifiedProperties as Json[]) : [];
  const { entry } = consentAdded(newValueOf(modified, 'ConsentAction.Permissions'));
  return {
    client: {
      servicePrincipalId: str(target.id) ?? entry?.clientId,
      appId: appIdIn(newValueOf(modified, 'TargetId.ServicePrincipalNames')),
      displayName: str(target.displayName),
    },
    resource: { servicePrincipalId: entry?.resourceId, appId: undefined, displayName: undefined },
  };
}

/** Who received the permissions and for which API; undefined for activities that grant nothing. */
export function grantParties(kind: AuditActivityKind, targets: readonly Json[]): { client: AuditGrantParty; resource: AuditGrantParty } | undefined {
  if (kind === 'consent') return consentParties(targets);
  if (kind === 'appRoleAssignmentAdded' || kind === 'delegatedGrantAdded') return assignmentParties(targets);
  return undefined;
}
