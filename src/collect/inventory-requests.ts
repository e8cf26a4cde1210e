/**
 * The directory requests of an inventory, as data: the collector sends them and `doctor` probes
 * with the same ones, so the two cannot drift apart.
 */
import type { GraphApi, GraphQuery } from '../graph/client.js';
import { odataString } from '../graph/url.js';
import { MAILBOX_RESOURCES } from '../inventory/resources.js';
import { APPLICATION_SELECT, SERVICE_PRINCIPAL_SELECT } from './directory.js';

/** Directory collections are paged at Graph's maximum so requests grow with pages, not objects. */
export const DIRECTORY_PAGE = 999;

export interface DirectoryRequest {
  readonly path: string;
  readonly query: GraphQuery;
}

export const SERVICE_PRINCIPALS_REQUEST: DirectoryRequest = { path: '/servicePrincipals', query: { select: SERVICE_PRINCIPAL_SELECT, top: DIRECTORY_PAGE } };
export const APPLICATIONS_REQUEST: DirectoryRequest = { path: '/applications', query: { select: APPLICATION_SELECT, top: DIRECTORY_PAGE } };
export const GRANTS_REQUEST: DirectoryRequest = {
  path: '/oauth2PermissionGrants',
  query: { select: ['id', 'clientId', 'consentType', 'resourceId', 'scope'], top: DIRECTORY_PAGE },
};

/** A mailbox resource's service principal, for the names of its app roles. */
export function resourceRequest(appId: string): DirectoryRequest {
  return { path: `/servicePrincipals(appId=${odataString(appId)})`, query: { select: ['id', 'appId', 'displayName', 'appRoles'] } };
}

/** Every principal holding one of a resource's app roles, in one paged call. */
export function appRoleAssignedToRequest(appId: string): DirectoryRequest {
  return {
    path: `/servicePrincipals(appId=${odataString(appId)})/appRoleAssignedTo`,
    query: { select: ['id', 'principalId', 'principalType', 'appRoleId', 'createdDateTime'], top: DIRECTORY_PAGE },
  };
}

type FirstPage = (pages: AsyncGenerator<unknown>) => Promise<void>;

/** Doctor probes for the directory reads, each the collector's own first request. */
export function directoryProbes(firstPage: FirstPage): Array<{ name: string; needs: () => boolean; run: (graph: GraphApi) => Promise<void> }> {
  const list = (request: DirectoryRequest) => (graph: GraphApi) => firstPage(graph.listPages(request.path, request.query));
  const exchange = MAILBOX_RESOURCES[0]?.appId ?? '';
  return [
    { name: 'service principals', needs: () => true, run: list(SERVICE_PRINCIPALS_REQUEST) },
    { name: 'applications', needs: () => true, run: list(APPLICATIONS_REQUEST) },
    { name: 'delegated grants', needs: () => true, run: list(GRANTS_REQUEST) },
    { name: 'app role assignments', needs: () => true, run: list(appRoleAssignedToRequest(exchange)) },
  ];
}
