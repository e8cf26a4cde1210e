/**
 * Directory objects: applications, service principals, their federated credentials, app role
 * assignments (resource side) and delegated permission grants. Lists blank `keyCredentials[].key`;
 * single-object reads return it, as Graph does.
 */
import type { SimResponse } from '../http.js';
import { ODataError, parseFilter } from '../odata.js';
import type { Application, KeyCredential, ServicePrincipal } from '../scenario.js';
import { entityOf, notFound, pageOf, type GraphCall, type GraphContext } from './context.js';

const DIRECTORY_PAGE = { defaultTop: 100, maxTop: 999 };

function withoutKeys<T extends { keyCredentials: KeyCredential[] }>(item: T): T {
  return { ...item, keyCredentials: item.keyCredentials.map((k) => ({ ...k, key: null })) };
}

function withoutNavigation(app: Application): Omit<Application, 'federatedIdentityCredentials'> {
  const { federatedIdentityCredentials: _navigation, ...rest } = app;
  return rest;
}

/** Applies a `$filter` of `eq` comparisons on the allowed string properties. */
function filtered<T extends object>(items: readonly T[], filter: string | undefined, allowed: readonly string[], resource: string): readonly T[] {
  if (!filter) return items;
  const comparisons = parseFilter(filter);
  for (const c of comparisons) {
    if (c.op !== 'eq' || !allowed.includes(c.field)) {
      throw new ODataError(
        'Request_UnsupportedQuery',
        `Unsupported or invalid query filter clause specified for property '${c.field}' of resource '${resource}'.`,
      );
    }
  }
  return items.filter((item) => comparisons.every((c) => String((item as Record<string, unknown>)[c.field]) === c.value));
}

/** `/applications…` */
export function applications(context: GraphContext, call: GraphCall): SimResponse {
  const apps = context.state.scenario.applications;
  const byAppId = /^\/applications\(appId='([^']+)'\)(\/.*)?$/.exec(call.path);
  const byId = /^\/applications\/([^/]+)(\/federatedIdentityCredentials)?$/.exec(call.path);
  if (call.path === '/applications') {
    const list = filtered(apps, call.query.filter, ['appId', 'displayName', 'id'], 'application');
    return pageOf(context, call, list.map(withoutNavigation), { entitySet: 'applications', ...DIRECTORY_PAGE, shape: (a) => withoutKeys(a as Application) });
  }
  const id = byAppId?.[1] ?? byId?.[1] ?? '';
  const app = byAppId ? apps.find((a) => a.appId === id) : apps.find((a) => a.id === id);
  if (!app) return notFound(context, call, id);
  if (byId?.[2] || byAppId?.[2] === '/federatedIdentityCredentials') {
    return pageOf(context, call, app.federatedIdentityCredentials ?? [], {
      entitySet: `applications('${app.id}')/federatedIdentityCredentials`,
      ...DIRECTORY_PAGE,
    });
  }
  return entityOf(context, call, 'applications', withoutNavigation(app));
}

/** `/servicePrincipals…` including `appRoleAssignedTo` and `appRoleAssignments`. */
export function servicePrincipals(context: GraphContext, call: GraphCall): SimResponse {
  const { scenario } = context.state;
  if (call.path === '/servicePrincipals') {
    const list = filtered(scenario.servicePrincipals, call.query.filter, ['appId', 'displayName', 'id', 'servicePrincipalType', 'appOwnerOrganizationId'], 'servicePrincipal');
    return pageOf(context, call, list, { entitySet: 'servicePrincipals', ...DIRECTORY_PAGE, shape: (sp) => withoutKeys(sp as ServicePrincipal) });
  }
  const match = /^\/servicePrincipals(?:\(appId='([^']+)'\)|\/([^/]+))(\/appRoleAssignedTo|\/appRoleAssignments)?$/.exec(call.path);
  if (!match) return notFound(context, call, call.path);
  const [, appId, id, navigation] = match;
  const sp = appId !== undefined ? context.state.servicePrincipalFor(appId) : scenario.servicePrincipals.find((s) => s.id === id);
  if (!sp) return notFound(context, call, appId ?? id ?? '');
  if (navigation === '/appRoleAssignedTo') {
    const assigned = scenario.appRoleAssignments.filter((a) => a.resourceId === sp.id);
    return pageOf(context, call, assigned, { entitySet: `servicePrincipals('${sp.id}')/appRoleAssignedTo`, ...DIRECTORY_PAGE });
  }
  if (navigation === '/appRoleAssignments') {
    const held = scenario.appRoleAssignments.filter((a) => a.principalId === sp.id);
    return pageOf(context, call, held, { entitySet: `servicePrincipals('${sp.id}')/appRoleAssignments`, ...DIRECTORY_PAGE });
  }
  return entityOf(context, call, 'servicePrincipals', sp);
}

/** `/oauth2PermissionGrants` */
export function oauth2PermissionGrants(context: GraphContext, call: GraphCall): SimResponse {
  const grants = filtered(
    context.state.scenario.oauth2PermissionGrants,
    call.query.filter,
    ['clientId', 'resourceId', 'consentType', 'principalId'],
    'oAuth2PermissionGrant',
  );
  return pageOf(context, call, grants, { entitySet: 'oauth2PermissionGrants', ...DIRECTORY_PAGE });
}
