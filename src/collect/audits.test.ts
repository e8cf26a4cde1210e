import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { activityKind, normalizeAudit } from './audits.js';

const REAL_ROWS = '/work/shared/data/otrf_goldensaml/AADAuditEvents.json';

describe('activityKind', () => {
  it('matches the credential activity whatever dash and spacing Entra used', () => {
    expect(activityKind('Update application – Certificates and secrets management ')).toBe('applicationCredentialsChanged');
    expect(activityKind('Update application - Certificates and secrets management')).toBe('applicationCredentialsChanged');
    expect(activityKind('Update application —  Certificates  and secrets management')).toBe('applicationCredentialsChanged');
    expect(activityKind('Add service principal credentials')).toBe('servicePrincipalCredentialsAdded');
    expect(activityKind('Reset user password')).toBe('other');
  });
});

describe('normalizeAudit', () => {
  it.skipIf(!existsSync(REAL_ROWS))('reads the credential added in a real Entra audit row (Log Analytics export)', () => {
    // The dataset is one Log Analytics row per line; map it to Graph's directoryAudit shape.
    const rows = readFileSync(REAL_ROWS, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, string>);
    const la = rows.find((r) => r.OperationName?.includes('Certificates and secrets'))!;
    const event = normalizeAudit({
      id: la.Id,
      activityDateTime: la.ActivityDateTime,
      activityDisplayName: la.ActivityDisplayName,
      category: la.Category,
      result: la.Result,
      initiatedBy: JSON.parse(la.InitiatedBy!) as unknown,
      targetResources: JSON.parse(la.TargetResources!) as unknown,
    });
    expect(event).toMatchObject({
      kind: 'applicationCredentialsChanged',
      initiatedBy: { type: 'user', name: 'pgustavo@simulandlabs.com' },
      target: { displayName: 'SimuLandApp', type: 'Application' },
      credentialChanges: [{ change: 'added', keyId: '59eaeebc-8a6b-44a6-9f24-7d55e64420c9', keyType: 'Password', displayName: 'SimuLandCreds' }],
    });
  });

  it('reports a removed credential from the old list', () => {
    const event = normalizeAudit({
      id: 'a', activityDateTime: '2026-11-25T10:00:00Z', activityDisplayName: 'Remove service principal credentials',
      initiatedBy: { app: { displayName: 'Automation', servicePrincipalId: 'sp' } },
      targetResources: [{ id: 't', type: 'ServicePrincipal', modifiedProperties: [
        { displayName: 'KeyDescription', oldValue: '["[KeyIdentifier=k1,KeyType=Password,KeyUsage=Verify,DisplayName=x]"]', newValue: '[]' },
      ] }],
    });
    expect(event).toMatchObject({ kind: 'servicePrincipalCredentialsRemoved', initiatedBy: { type: 'app', name: 'Automation' }, credentialChanges: [{ change: 'removed', keyId: 'k1' }] });
  });

  it('reads granted role names and consented scopes', () => {
    const role = normalizeAudit({
      id: 'b', activityDateTime: '2026-11-25T10:00:00Z', activityDisplayName: 'Add app role assignment to service principal',
      targetResources: [{ id: 't', modifiedProperties: [{ displayName: 'AppRole.Value', newValue: '"full_access_as_app"' }, { displayName: 'ServicePrincipal.AppId', newValue: '"app-1"' }] }],
    });
    expect(role).toMatchObject({ permissions: ['full_access_as_app'], target: { appId: 'app-1' } });
    const consent = normalizeAudit({
      id: 'c', activityDateTime: '2026-11-25T10:00:00Z', activityDisplayName: 'Consent to application',
      targetResources: [{ id: 't', modifiedProperties: [{ displayName: 'ConsentAction.Permissions', newValue: '"[] => [[Id: , ClientId: x, ResourceId: y, ConsentType: AllPrincipals, Scope:  EWS.AccessAsUser.All Mail.Read, CreatedDateTime: ]]; "' }] }],
    });
    expect(consent).toMatchObject({ kind: 'consent', permissions: ['EWS.AccessAsUser.All', 'Mail.Read'] });
  });

  it('quarantines a row without a time', () => {
    expect(normalizeAudit({ id: 'x', activityDisplayName: 'Consent to application' })).toMatchObject({ quarantined: expect.any(String) });
  });
});
