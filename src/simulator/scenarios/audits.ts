/**
 * Directory audit records in Graph's `directoryAudit` shape, modelled on the real rows in
 * /work/shared/data/otrf_goldensaml/AADAuditEvents.json (Log Analytics `AuditLogs`, mapped to
 * Graph field names). Note the real activity name: en dash and a trailing space.
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
}): DirectoryAudit {
  const correlationId = guid(`audit-correlation/${options.label}`);
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
    targetResources: [{ ...options.target, userPrincipalName: null, groupType: null, modifiedProperties: options.modifiedProperties }],
    additionalDetails: [{ key: 'User-Agent', value: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36' }],
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

/** Properties of an "Add app role assignment to service principal" record. */
export function appRoleAssignmentProperties(role: { id: string; value: string }, client: { id: string; appId: string; displayName: string }): Modified {
  const s = (v: string): string => JSON.stringify(v);
  return [
    { displayName: 'AppRole.Id', oldValue: null, newValue: s(role.id) },
    { displayName: 'AppRole.Value', oldValue: null, newValue: s(role.value) },
    { displayName: 'ServicePrincipal.ObjectID', oldValue: null, newValue: s(client.id) },
    { displayName: 'ServicePrincipal.DisplayName', oldValue: null, newValue: s(client.displayName) },
    { displayName: 'ServicePrincipal.AppId', oldValue: null, newValue: s(client.appId) },
  ];
}

/** Properties of a "Consent to application" record for a tenant-wide delegated grant. */
export function consentProperties(grant: { clientId: string; resourceId: string; scope: string }): Modified {
  return [
    { displayName: 'ConsentContext.IsAdminConsent', oldValue: null, newValue: '"True"' },
    { displayName: 'ConsentContext.OnBehalfOfAll', oldValue: null, newValue: '"True"' },
    {
      displayName: 'ConsentAction.Permissions',
      oldValue: null,
      newValue: JSON.stringify(`[] => [[Id: , ClientId: ${grant.clientId}, PrincipalId: , ResourceId: ${grant.resourceId}, ConsentType: AllPrincipals, Scope:  ${grant.scope}, CreatedDateTime: , LastModifiedDateTime ]]; `),
    },
  ];
}
