import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../package-root.js';
import { activityKind, normalizeAudit } from './audits.js';

// Real Entra audit rows (test/fixtures/real/otrf-goldensaml/README.md).
const REAL_ROWS = join(packageRoot(), 'test', 'fixtures', 'real', 'otrf-goldensaml', 'AADAuditEvents.json');

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
  it('reads the credential added in a real Entra audit row (Log Analytics export)', () => {
    // The dataset is one Log Analytics row per line; map it to Graph's directoryAudit shape.
    const rows = readFileSync(REAL_ROWS, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, string>);
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
      id: 'a',
      activityDateTime: '2026-11-25T10:00:00Z',
      activityDisplayName: 'Remove service principal credentials',
      initiatedBy: { app: { displayName: 'Automation', servicePrincipalId: 'sp' } },
      targetResources: [
        {
          id: 't',
          type: 'ServicePrincipal',
          modifiedProperties: [
            { displayName: 'KeyDescription', oldValue: '["[KeyIdentifier=k1,KeyType=Password,KeyUsage=Verify,DisplayName=x]"]', newValue: '[]' },
          ],
        },
      ],
    });
    expect(event).toMatchObject({
      kind: 'servicePrincipalCredentialsRemoved',
      initiatedBy: { type: 'app', name: 'Automation' },
      credentialChanges: [{ change: 'removed', keyId: 'k1' }],
    });
  });

  it('reads granted role names and consented scopes', () => {
    const role = normalizeAudit({
      id: 'b',
      activityDateTime: '2026-11-25T10:00:00Z',
      activityDisplayName: 'Add app role assignment to service principal',
      targetResources: [
        {
          id: 't',
          modifiedProperties: [
            { displayName: 'AppRole.Value', newValue: '"full_access_as_app"' },
            { displayName: 'ServicePrincipal.AppId', newValue: '"app-1"' },
          ],
        },
      ],
    });
    expect(role).toMatchObject({ permissions: ['full_access_as_app'], target: { appId: 'app-1' } });
    const consent = normalizeAudit({
      id: 'c',
      activityDateTime: '2026-11-25T10:00:00Z',
      activityDisplayName: 'Consent to application',
      targetResources: [
        {
          id: 't',
          modifiedProperties: [
            {
              displayName: 'ConsentAction.Permissions',
              newValue: '"[] => [[Id: , ClientId: x, ResourceId: y, ConsentType: AllPrincipals, Scope:  EWS.AccessAsUser.All Mail.Read, CreatedDateTime: ]]; "',
            },
          ],
        },
      ],
    });
    expect(consent).toMatchObject({ kind: 'consent', permissions: ['EWS.AccessAsUser.All', 'Mail.Read'] });
  });

  it('reads an app role assignment as a grant to the client named in ServicePrincipal.ObjectID, on the API that is its first target', () => {
    const role = normalizeAudit({
      id: 'r',
      activityDateTime: '2026-11-25T10:00:00Z',
      activityDisplayName: 'Add app role assignment to service principal',
      targetResources: [
        {
          id: 'sp-exchange',
          displayName: 'Office 365 Exchange Online',
          type: 'ServicePrincipal',
          modifiedProperties: [
            { displayName: 'AppRole.Value', oldValue: null, newValue: '"IMAP.AccessAsApp"' },
            { displayName: 'ServicePrincipal.ObjectID', oldValue: null, newValue: '"sp-poller"' },
            { displayName: 'ServicePrincipal.DisplayName', oldValue: null, newValue: '"Poller"' },
            { displayName: 'ServicePrincipal.AppId', oldValue: null, newValue: '"app-poller"' },
            {
              displayName: 'TargetId.ServicePrincipalNames',
              oldValue: null,
              newValue: '"https://outlook.office365.com/;00000002-0000-0ff1-ce00-000000000000"',
            },
          ],
        },
      ],
    });
    expect(role).toMatchObject({
      permissions: ['IMAP.AccessAsApp'],
      grant: {
        client: { servicePrincipalId: 'sp-poller', appId: 'app-poller', displayName: 'Poller' },
        resource: { servicePrincipalId: 'sp-exchange', appId: '00000002-0000-0ff1-ce00-000000000000', displayName: 'Office 365 Exchange Online' },
      },
    });
  });

  it('counts as granted only the scopes a delegated grant added, however the lists are padded', () => {
    const grant = normalizeAudit({
      id: 'g',
      activityDateTime: '2026-11-25T10:00:00Z',
      activityDisplayName: 'Add delegated permission grant',
      targetResources: [
        {
          id: 'sp-graph',
          displayName: 'Microsoft Graph',
          type: 'ServicePrincipal',
          modifiedProperties: [{ displayName: 'DelegatedPermissionGrant.Scope', oldValue: '" User.Read"', newValue: '" User.Read Mail.Read  User.Read"' }],
        },
        { id: 'sp-client', displayName: null, type: 'ServicePrincipal', modifiedProperties: [] },
      ],
    });
    // Without ServicePrincipal.ObjectID the client is the target that does not carry the scopes.
    expect(grant).toMatchObject({
      permissions: ['Mail.Read'],
      grant: { client: { servicePrincipalId: 'sp-client' }, resource: { servicePrincipalId: 'sp-graph' } },
    });
  });

  it('reads a consent as a grant to its target of the scopes added per API, with the client app id from its names', () => {
    const entry = (scope: string) =>
      `[Id: x, ClientId: sp-client, PrincipalId: u1, ResourceId: sp-graph, ConsentType: Principal, Scope:  ${scope}, CreatedDateTime: , LastModifiedDateTime ]`;
    const consent = normalizeAudit({
      id: 'c2',
      activityDateTime: '2026-11-25T10:00:00Z',
      activityDisplayName: 'Consent to application',
      targetResources: [
        {
          id: 'sp-client',
          displayName: 'Helpdesk',
          type: 'ServicePrincipal',
          modifiedProperties: [
            {
              displayName: 'ConsentAction.Permissions',
              oldValue: null,
              newValue: JSON.stringify(`[${entry('User.Read')}] => [${entry('User.Read IMAP.AccessAsUser.All SMTP.Send')}]; `),
            },
            { displayName: 'TargetId.ServicePrincipalNames', oldValue: null, newValue: '"5bee10b5-db93-4475-ae1a-3d87e059d287"' },
          ],
        },
      ],
    });
    expect(consent).toMatchObject({
      kind: 'consent',
      permissions: ['IMAP.AccessAsUser.All', 'SMTP.Send'],
      grant: {
        client: { servicePrincipalId: 'sp-client', appId: '5bee10b5-db93-4475-ae1a-3d87e059d287', displayName: 'Helpdesk' },
        resource: { servicePrincipalId: 'sp-graph' },
      },
    });
  });

  it('grants nothing when a consent lists the same scopes on both sides', () => {
    const entry = '[Id: x, ClientId: c, PrincipalId: u1, ResourceId: r, ConsentType: Principal, Scope:  User.Read, CreatedDateTime: , LastModifiedDateTime ]';
    const consent = normalizeAudit({
      id: 'c3',
      activityDateTime: '2026-11-25T10:00:00Z',
      activityDisplayName: 'Consent to application',
      targetResources: [
        { id: 'c', modifiedProperties: [{ displayName: 'ConsentAction.Permissions', oldValue: null, newValue: JSON.stringify(`[${entry}] => [${entry}]; `) }] },
      ],
    });
    expect(consent).toMatchObject({ permissions: [] });
  });

  it('leaves grant parties off rows that grant nothing', () => {
    const event = normalizeAudit({
      id: 'o',
      activityDateTime: '2026-11-25T10:00:00Z',
      activityDisplayName: 'Add owner to application',
      targetResources: [{ id: 't' }],
    });
    expect(event).not.toHaveProperty('grant');
  });

  it('quarantines a row without a time', () => {
    expect(normalizeAudit({ id: 'x', activityDisplayName: 'Consent to application' })).toMatchObject({ quarantined: expect.any(String) });
  });
});
