/**
 * "Northwind": three apps gain mailbox access in the last day, each logged the way Entra logs it
 * (docs/rules.md, "How grant audit rows name the app"), so the grant rules must name the client
 * that received the permissions, not the API it is for:
 *
 * - Northwind Mail Sync: `Mail.ReadWrite` added to its tenant-wide Microsoft Graph grant that held
 *   `User.Read`, through "Add delegated permission grant" in the shape of the real Golden SAML row
 *   (the API first, the client second with a null name, client app id null).
 * - Northwind Helpdesk Mail: one user consents to IMAP and SMTP over `User.Read`: "Consent to
 *   application" (the client as target) and its "Add delegated permission grant" under one
 *   correlation id.
 * - Northwind IMAP Poller: `IMAP.AccessAsApp` on Office 365 Exchange Online through "Add app role
 *   assignment to service principal": mailbox-capable over IMAP only.
 *
 * Nothing else happens: no sign-ins, no credential changes, no hygiene problem.
 */
import type { OAuth2PermissionGrant, Scenario } from '../scenario.js';
import { appRoleAssignmentProperties, audit, consentProperties, delegatedGrantProperties } from './audits.js';
import { assignment, certificateCredential, daysFrom, guid, ownApp } from './builders.js';
import { makeScenarioCertificate } from './certificates.js';
import { EXCHANGE_PROTOCOL_ROLE, microsoftServicePrincipals } from './microsoft.js';

/** Fictitious Northwind tenant id. */
export const NORTHWIND_TENANT_ID = 'aaaaaaaa-0000-4000-8000-00000000000b';
const DOMAIN = 'northwind.onmicrosoft.com';
const ADMIN = { id: guid('northwind/user/admin'), userPrincipalName: 'admin@northwind.onmicrosoft.com' };
const USER = { id: guid('northwind/user/dana'), userPrincipalName: 'dana@northwind.onmicrosoft.com' };

/** The grants scenario, relative to `now`. */
export function grantsScenario(now: Date): Scenario {
  const ms = microsoftServicePrincipals(NORTHWIND_TENANT_ID);
  const { exchange, graph } = ms;
  const cert = (name: string) =>
    makeScenarioCertificate({ commonName: name, notBefore: daysFrom(now, -20), notAfter: daysFrom(now, 160), keyLabel: `northwind/${name}` });
  const mk = (displayName: string) => {
    const c = cert(displayName);
    return ownApp({
      tenantId: NORTHWIND_TENANT_ID,
      displayName,
      created: daysFrom(now, -20),
      domain: DOMAIN,
      keyCredentials: [certificateCredential(`northwind/${displayName}`, c, `CN=${displayName}`)],
    });
  };
  const sync = mk('Northwind Mail Sync');
  const helpdesk = mk('Northwind Helpdesk Mail');
  const poller = mk('Northwind IMAP Poller');

  const syncGrant: OAuth2PermissionGrant = {
    id: guid('northwind/grant/sync'),
    clientId: sync.sp.id,
    consentType: 'AllPrincipals',
    principalId: null,
    resourceId: graph.id,
    scope: 'User.Read Mail.ReadWrite',
  };
  const helpdeskGrant: OAuth2PermissionGrant = {
    id: guid('northwind/grant/helpdesk'),
    clientId: helpdesk.sp.id,
    consentType: 'Principal',
    principalId: USER.id,
    resourceId: graph.id,
    scope: 'User.Read IMAP.AccessAsUser.All SMTP.Send offline_access',
  };
  const graphTarget = { id: graph.id, displayName: graph.displayName, type: 'ServicePrincipal' as const };

  return {
    tenant: { id: NORTHWIND_TENANT_ID, displayName: 'Northwind', defaultDomain: DOMAIN, hasPremiumLicense: true },
    applications: [sync.app, helpdesk.app, poller.app],
    servicePrincipals: [...ms.all, sync.sp, helpdesk.sp, poller.sp],
    appRoleAssignments: [assignment(poller.sp, exchange, EXCHANGE_PROTOCOL_ROLE.imapAccessAsApp, daysFrom(now, -0.2))],
    oauth2PermissionGrants: [syncGrant, helpdeskGrant],
    namedLocations: [],
    signIns: [],
    directoryAudits: [
      audit({
        label: 'northwind/sync-grant',
        at: daysFrom(now, -0.5),
        activity: 'Add delegated permission grant',
        operationType: 'Assign',
        actor: ADMIN,
        target: graphTarget,
        modifiedProperties: delegatedGrantProperties({
          scopeBefore: 'User.Read',
          scopeAfter: syncGrant.scope,
          consentType: 'AllPrincipals',
          clientId: sync.sp.id,
          resourceNames: graph.servicePrincipalNames,
        }),
        moreTargets: [{ id: sync.sp.id, displayName: null, type: 'ServicePrincipal' }],
      }),
      audit({
        label: 'northwind/helpdesk-consent',
        correlationLabel: 'northwind/helpdesk',
        at: daysFrom(now, -0.4),
        activity: 'Consent to application',
        operationType: 'Assign',
        actor: USER,
        target: { id: helpdesk.sp.id, displayName: helpdesk.sp.displayName, type: 'ServicePrincipal' },
        modifiedProperties: consentProperties(helpdeskGrant, { scopeBefore: 'User.Read', clientAppId: helpdesk.sp.appId }),
      }),
      audit({
        label: 'northwind/helpdesk-grant',
        correlationLabel: 'northwind/helpdesk',
        at: daysFrom(now, -0.4),
        activity: 'Add delegated permission grant',
        operationType: 'Assign',
        actor: USER,
        target: graphTarget,
        modifiedProperties: delegatedGrantProperties({
          scopeBefore: ' User.Read',
          scopeAfter: ` ${helpdeskGrant.scope}`,
          consentType: 'Principal',
          clientId: helpdesk.sp.id,
          resourceNames: graph.servicePrincipalNames,
        }),
        moreTargets: [{ id: helpdesk.sp.id, displayName: null, type: 'ServicePrincipal' }],
      }),
      audit({
        label: 'northwind/poller-imap',
        at: daysFrom(now, -0.2),
        activity: 'Add app role assignment to service principal',
        operationType: 'Assign',
        actor: ADMIN,
        target: { id: exchange.id, displayName: exchange.displayName, type: 'ServicePrincipal' },
        modifiedProperties: appRoleAssignmentProperties(
          { id: EXCHANGE_PROTOCOL_ROLE.imapAccessAsApp, value: 'IMAP.AccessAsApp' },
          { id: poller.sp.id, appId: poller.sp.appId, displayName: poller.sp.displayName },
          exchange.servicePrincipalNames,
        ),
      }),
    ],
  };
}
