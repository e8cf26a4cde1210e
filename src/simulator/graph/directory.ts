/**
 * Directory objects: applications, service principals, their federated credentials, app role
 * assignments (both sides) and delegated permission grants, each under its documented query rules
 * (graph/documented.ts). `keyCredentials[].key` is returned only when the request `$select`s
 * keyCredentials, in lists and single reads alike: "By default, this API doesn't return the value
 * of the key in the keyCredentials property … the keyCredentials property must be specified in a
 * `$select` query" (learn.microsoft.com/graph/api/application-list, serviceprincipal-list,
 * application-get, serviceprincipal-get).
 */
import type { SimResponse } from '../http.js';
import type { Application, KeyCredential } from '../scenario.js';
import { entityOf, listOf, notFound, type GraphCall, type GraphContext } from './context.js';
import {
  APPLICATION,
  APPLICATIONS,
  APP_ROLE_ASSIGNED_TO,
  APP_ROLE_ASSIGNMENTS,
  FEDERATED_IDENTITY_CREDENTIALS,
  OAUTH2_PERMISSION_GRANTS,
  SERVICE_PRINCIPAL,
  SERVICE_PRINCIPALS,
} from './documented.js';

/** Whether the request names keyCredentials in `$select` (property names are case-insensitive). */
export function selectsKeyCredentials(call: GraphCall): boolean {
  return call.query.select?.some((s) => s.toLowerCase() === 'keycredentials') ?? false;
}

/** The object as the request may see it: `key` blanked unless keyCredentials was selected. */
function keysAsSelected(call: GraphCall): (item: object) => object {
  if (selectsKeyCredentials(call)) return (item) => item;
  return (item) => {
    const withKeys = item as { keyCredentials: KeyCredential[] };
    return { ...withKeys, keyCredentials: withKeys.keyCredentials.map((k) => ({ ...k, key: null })) };
  };
}

function withoutNavigation(app: Application): Omit<Application, 'federatedIdentityCredentials'> {
  const { federatedIdentityCredentials: _navigation, ...rest } = app;
  return rest;
}

/** `/applications…` */
export function applications(context: GraphContext, call: GraphCall): SimResponse {
  const apps = context.state.scenario.applications;
  if (call.path === '/applications') {
    return listOf(context, call, APPLICATIONS, apps.map(withoutNavigation), { entitySet: 'applications', shape: keysAsSelected(call) });
  }
  const byAppId = /^\/applications\(appId='([^']+)'\)(\/federatedIdentityCredentials)?$/.exec(call.path);
  const byId = /^\/applications\/([^/]+)(\/federatedIdentityCredentials)?$/.exec(call.path);
  const id = byAppId?.[1] ?? byId?.[1] ?? '';
  const app = byAppId ? apps.find((a) => a.appId === id) : apps.find((a) => a.id === id);
  if (!app) return notFound(context, call, id || call.path);
  if (byId?.[2] ?? byAppId?.[2]) {
    return listOf(context, call, FEDERATED_IDENTITY_CREDENTIALS, app.federatedIdentityCredentials ?? [], {
      entitySet: `applications('${app.id}')/federatedIdentityCredentials`,
    });
  }
  return entityOf(context, call, APPLICATION, 'applications', keysAsSelected(call)(withoutNavigation(app)));
}

/** `/servicePrincipals…` including `appRoleAssignedTo` and `appRoleAssignments`. */
export function servicePrincipals(context: GraphContext, call: GraphCall): SimResponse {
  const { scenario } = context.state;
  if (call.path === '/servicePrincipals') {
    return listOf(context, call, SERVICE_PRINCIPALS, scenario.servicePrincipals, { entitySet: 'servicePrincipals', shape: keysAsSelected(call) });
  }
  const match = /^\/servicePrincipals(?:\(appId='([^']+)'\)|\/([^/]+))(\/appRoleAssignedTo|\/appRoleAssignments)?$/.exec(call.path);
  if (!match) return notFound(context, call, call.path);
  const [, appId, id, navigation] = match;
  const sp = appId !== undefined ? context.state.servicePrincipalFor(appId) : scenario.servicePrincipals.find((s) => s.id === id);
  if (!sp) return notFound(context, call, appId ?? id ?? '');
  if (navigation === '/appRoleAssignedTo') {
    const assigned = scenario.appRoleAssignments.filter((a) => a.resourceId === sp.id);
    return listOf(context, call, APP_ROLE_ASSIGNED_TO, assigned, { entitySet: `servicePrincipals('${sp.id}')/appRoleAssignedTo` });
  }
  if (navigation === '/appRoleAssignments') {
    const held = scenario.appRoleAssignments.filter((a) => a.principalId === sp.id);
    return listOf(context, call, APP_ROLE_ASSIGNMENTS, held, { entitySet: `servicePrincipals('${sp.id}')/appRoleAssignments` });
  }
  return entityOf(context, call, SERVICE_PRINCIPAL, 'servicePrincipals', keysAsSelected(call)(sp));
}

/** `/oauth2PermissionGrants` */
export function oauth2PermissionGrants(context: GraphContext, call: GraphCall): SimResponse {
  return listOf(context, call, OAUTH2_PERMISSION_GRANTS, context.state.scenario.oauth2PermissionGrants, { entitySet: 'oauth2PermissionGrants' });
}
