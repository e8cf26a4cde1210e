/**
 * Directory audit records in Graph's `directoryAudit` shape, modelled on the real rows in
 * test/fixtures/real/otrf-goldensaml/AADAuditEvents.json (Log Analytics `AuditLogs`, mapped to
 * Graph field names). Note the real activity name: en dash and a trailing space. How the grant rows
 * name their parties is written up in docs/rules.md ("How grant audit rows name the app").
 */
import type { DirectoryAudit } from '../scenario.js';
import { guid } from './builders.js';

/** The credential activity exactly as Entra logs it in the wild. */
export const CERTIFICATES_AND_SECRETS_ACTIVITY = 'Update application – Certificates and secrets management ';

/** The initiating admin for scenario audits. */
export interface Actor {
  id: string;
  userPrincipalName: string;
}

type Modified = DirectoryAudit['targetResources'][number]['modifiedProperties'];

/** Builds one ApplicationManagement audit record. */
export function audit(options: {
  label: string;
  at: Date;
  activity: string;
  operationType: string;
  actor: Actor;
  target: { id: string; displayName: string; type: 'Application' | 'ServicePrincipal' };
  modifiedProperties: Modified;
  /** Further targets without properties: the real "Add delegated permission grant" row names the client second, displayName null. */
  moreTargets?: ReadonlyArray<{ id: string; displayName: string | null; type: 'ServicePrincipal' }>;
  /** Rows of one operation share it (Entra logs a consent as several rows under one correlation id). */
  correlationLabel?: string;
}): DirectoryAudit {
  const correlationId = guid(`audit-correlation/${options.correlationLabel ?? options.label}`);
  return {
    id: `Directory_${correlationId}_${guid(`audit/${options.label}`).slice(0, 5).toUpperCase()}_${options.at.getTime() % 100_000_000}`,
    category: 'ApplicationManagement',
    correlationId,
    result: 'success',
    resultReason: '',
    activityDisplayName: options.activity,
    activityDateTime: options.at.toISOString(),
    loggedByService: 'Core Directory',
    operationType: options.operationType,
    initiatedBy: { user: { id: options.actor.id, displayName: null, userPrincipalName: options.actor.userPrincipalName, ipAddress: null }, app: null },
    targetResources: [
      { ...options.target, userPrincipalName: null, groupType: null, modifiedProperties: options.modifiedProperties },
      ...(options.moreTargets ?? []).map((t) => ({ ...t, userPrincipalName: null, groupType: null, modifiedProperties: [] })),
    ],
    additionalDetails: [
      { key: 'User-Agent', value: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36' },
    ],
  };
}

/** The KeyDescription change Entra records when a key or password is added. */
export function keyDescription(keyId: string, keyType: 'Password' | 'AsymmetricX509Cert', displayName: string): Modified {
  return [
    {
      displayName: 'KeyDescription',
      oldValue: '[]',
      newValue: JSON.stringify([`[KeyIdentifier=${keyId},KeyType=${keyType},KeyUsage=Verify,DisplayName=${displayName}]`]),
    },
    { displayName: 'Included Updated Properties', oldValue: null, newValue: '"KeyDescription"' },
  ];
}

/**
 * Properties of an "Add app role assignment to service principal" record. The row's target is the
 * API that defines the role; the client is named by ServicePrincipal.ObjectID, DisplayName and
 * AppId, and TargetId.ServicePrincipalNames holds the API's names when `resourceNames` is given.
 */
export function appRoleAssignmentProperties(
  role: { id: string; value: string },
  client: { id: string; appId: string; displayName: string },
  resourceNames?: readonly string[],
): Modified {
  const s = (v: string): string => JSON.stringify(v);
  return [
    { displayName: 'AppRole.Id', oldValue: null, newValue: s(role.id) },
    { displayName: 'AppRole.Value', oldValue: null, newValue: s(role.value) },
    { displayName: 'ServicePrincipal.ObjectID', oldValue: null, newValue: s(client.id) },
    { displayName: 'ServicePrincipal.DisplayName', oldValue: null, newValue: s(client.displayName) },
    { displayName: 'ServicePrincipal.AppId', oldValue: null, newValue: s(client.appId) },
    ...(resourceNames ? [{ displayName: 'TargetId.ServicePrincipalNames', oldValue: null, newValue: s(resourceNames.join(';')) }] : []),
  ];
}

/** One `[Id: …, ClientId: …, …, Scope:  …, …]` entry of `ConsentAction.Permissions`. */
function consentEntry(grant: { clientId: string; resourceId: string; consentType: string; principalId: string | null }, scope: string): string {
  return `[Id: , ClientId: ${grant.clientId}, PrincipalId: ${grant.principalId ?? ''}, ResourceId: ${grant.resourceId}, ConsentType: ${grant.consentType}, Scope:  ${scope}, CreatedDateTime: , LastModifiedDateTime ]`;
}

/**
 * Properties of a "Consent to application" record: the client is the row's target, the grants are
 * listed before and after the consent (`[] => [[…]]` for a first consent), and
 * TargetId.ServicePrincipalNames holds the client's names (its app id among them).
 */
export function consentProperties(
  grant: { clientId: string; resourceId: string; scope: string; consentType?: 'AllPrincipals' | 'Principal'; principalId?: string | null },
  options: { scopeBefore?: string; clientAppId?: string } = {},
): Modified {
  const entry = {
    clientId: grant.clientId,
    resourceId: grant.resourceId,
    consentType: grant.consentType ?? 'AllPrincipals',
    principalId: grant.principalId ?? null,
  };
  const allUsers = entry.consentType === 'AllPrincipals' ? '"True"' : '"False"';
  const before = options.scopeBefore === undefined ? '[]' : `[${consentEntry(entry, options.scopeBefore)}]`;
  return [
    { displayName: 'ConsentContext.IsAdminConsent', oldValue: null, newValue: allUsers },
    { displayName: 'ConsentContext.IsAppOnly', oldValue: null, newValue: '"False"' },
    { displayName: 'ConsentContext.OnBehalfOfAll', oldValue: null, newValue: allUsers },
    { displayName: 'ConsentContext.Tags', oldValue: null, newValue: '"WindowsAzureActiveDirectoryIntegratedApp"' },
    { displayName: 'ConsentAction.Permissions', oldValue: null, newValue: JSON.stringify(`${before} => [${consentEntry(entry, grant.scope)}]; `) },
    ...(options.clientAppId ? [{ displayName: 'TargetId.ServicePrincipalNames', oldValue: null, newValue: JSON.stringify(options.clientAppId) }] : []),
  ];
}

/**
 * Properties of an "Add delegated permission grant" record, as the real row has them: the scope
 * lists before and after (the grant is what was added), the client only by object id, its app id
 * and names null, and the API's own service principal names (which include its app id).
 */
export function delegatedGrantProperties(grant: {
  scopeBefore: string | null;
  scopeAfter: string;
  consentType: 'AllPrincipals' | 'Principal';
  clientId: string;
  resourceNames: readonly string[];
}): Modified {
  const s = (v: string): string => JSON.stringify(v);
  return [
    { displayName: 'DelegatedPermissionGrant.Scope', oldValue: grant.scopeBefore === null ? null : s(grant.scopeBefore), newValue: s(grant.scopeAfter) },
    { displayName: 'DelegatedPermissionGrant.ConsentType', oldValue: grant.scopeBefore === null ? null : s(grant.consentType), newValue: s(grant.consentType) },
    { displayName: 'ServicePrincipal.ObjectID', oldValue: null, newValue: s(grant.clientId) },
    { displayName: 'ServicePrincipal.DisplayName', oldValue: null, newValue: null },
    { displayName: 'ServicePrincipal.AppId', oldValue: null, newValue: null },
    { displayName: 'ServicePrincipal.Name', oldValue: null, newValue: null },
    { displayName: 'TargetId.ServicePrincipalNames', oldValue: null, newValue: s(grant.resourceNames.join(';')) },
  ];
}
