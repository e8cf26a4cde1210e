/**
 * Graph front door: bearer token check (401 InvalidAuthenticationToken), per-endpoint application
 * permissions (403 as Graph answers), licence check for sign-ins, documented throttling
 * (graph/throttle.ts), then dispatch; handlers hold each request to its documented query rules.
 */
import { graphError, type SimRequest, type SimResponse } from '../http.js';
import { ODataError, parseQuery } from '../odata.js';
import { graphBatch } from './batch.js';
import type { GraphCall, GraphContext } from './context.js';
import { createAuditLogQuery, getAuditLogQuery, listAuditLogQueries, listAuditLogRecords } from './audit-log.js';
import { applications, oauth2PermissionGrants, servicePrincipals } from './directory.js';
import { namedLocations } from './named-locations.js';
import { sendMail } from './policies.js';
import { directoryAudits, signIns } from './reports.js';
import { throttled } from './throttle.js';
import type { TokenIssuer } from '../tokens.js';

/** Roles any one of which allows reading applications and service principals. */
const DIRECTORY_READ = ['Application.Read.All', 'Application.ReadWrite.All', 'Directory.Read.All', 'Directory.ReadWrite.All'];
/** Graph docs, List oauth2PermissionGrants, Application permissions. */
const GRANTS_READ = ['Directory.Read.All', 'DelegatedPermissionGrant.ReadWrite.All', 'Directory.ReadWrite.All'];
const POLICY_READ = ['Policy.Read.All', 'Policy.ReadWrite.ConditionalAccess'];
const AUDIT_READ = ['AuditLog.Read.All'];
/**
 * Audit log query pages: one permission per Microsoft 365 service, or AuditLogsQuery.Read.All for
 * all; mail access records are Exchange's. The simulator's reading: without one of these two the
 * query API answers 403 (the code Graph uses there is not published; the generic one is sent).
 */
const AUDIT_QUERY_READ = ['AuditLogsQuery-Exchange.Read.All', 'AuditLogsQuery.Read.All'];
const QUERY_ID = "([^/']+)";

interface Route {
  pattern: RegExp;
  method: 'GET' | 'POST';
  roles: readonly string[];
  handle: (context: GraphContext, call: GraphCall, match: RegExpExecArray) => SimResponse;
}

const ROUTES: Route[] = [
  { pattern: /^\/applications(\/|\(|$)/, method: 'GET', roles: DIRECTORY_READ, handle: applications },
  { pattern: /^\/servicePrincipals(\/|\(|$)/, method: 'GET', roles: DIRECTORY_READ, handle: servicePrincipals },
  { pattern: /^\/oauth2PermissionGrants$/, method: 'GET', roles: GRANTS_READ, handle: oauth2PermissionGrants },
  { pattern: /^\/identity\/conditionalAccess\/namedLocations$/, method: 'GET', roles: POLICY_READ, handle: namedLocations },
  { pattern: /^\/auditLogs\/signIns$/, method: 'GET', roles: AUDIT_READ, handle: signIns },
  { pattern: /^\/auditLogs\/directoryAudits$/, method: 'GET', roles: AUDIT_READ, handle: directoryAudits },
  { pattern: /^\/security\/auditLog\/queries$/, method: 'POST', roles: AUDIT_QUERY_READ, handle: createAuditLogQuery },
  { pattern: /^\/security\/auditLog\/queries$/, method: 'GET', roles: AUDIT_QUERY_READ, handle: listAuditLogQueries },
  {
    pattern: new RegExp(`^/security/auditLog/queries/${QUERY_ID}$`),
    method: 'GET',
    roles: AUDIT_QUERY_READ,
    handle: (c, call, m) => getAuditLogQuery(c, call, m[1] ?? ''),
  },
  {
    pattern: new RegExp(`^/security/auditLog/queries/${QUERY_ID}/records$`),
    method: 'GET',
    roles: AUDIT_QUERY_READ,
    handle: (c, call, m) => listAuditLogRecords(c, call, m[1] ?? ''),
  },
  { pattern: /^\/users\/([^/]+)\/sendMail$/, method: 'POST', roles: ['Mail.Send'], handle: (c, call, m) => sendMail(c, call, m[1] ?? '') },
];

/** Handles `/v1.0/…` and `/beta/…`; returns undefined for other paths. */
export async function handleGraph(request: SimRequest, context: GraphContext, issuer: TokenIssuer): Promise<SimResponse | undefined> {
  const versioned = /^\/(v1\.0|beta)(\/.*)$/.exec(request.url.pathname);
  if (!versioned) return undefined;
  const now = context.now();
  const authorization = request.headers.authorization ?? '';
  if (!authorization.startsWith('Bearer ')) {
    return graphError(request, 401, 'InvalidAuthenticationToken', 'Access token is empty.', now);
  }
  const verdict = await issuer.verify(authorization.slice('Bearer '.length), now);
  if ('reason' in verdict) return graphError(request, 401, 'InvalidAuthenticationToken', verdict.reason, now);
  const roles = verdict.claims.roles ?? [];
  const clientId = verdict.claims.appid;

  const path = decodeURI(versioned[2] ?? '/');
  if (path === '/$batch')
    return { ...(await graphBatch(request, context, versioned[1] as 'v1.0' | 'beta', (inner) => handleGraph(inner, context, issuer))), clientId };
  const route = ROUTES.find((r) => r.pattern.test(path) && r.method === request.method) ?? ROUTES.find((r) => r.pattern.test(path));
  if (!route) return { ...graphError(request, 400, 'BadRequest', `Resource not found for the segment '${path.split('/')[1] ?? ''}'.`, now), clientId };
  if (request.method !== route.method) {
    return { ...graphError(request, 405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.', now), clientId };
  }
  if (!route.roles.some((role) => roles.includes(role))) {
    return route.method === 'POST'
      ? { ...graphError(request, 403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.', now), clientId }
      : { ...graphError(request, 403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.', now), clientId };
  }
  if (route.handle === signIns) {
    // Graph's documented known issue: sign-ins need Directory.Read.All as well, and without it
    // the API answers with the licence error rather than a permission error.
    if (!context.state.licensed || !DIRECTORY_READ.slice(2).some((role) => roles.includes(role))) {
      return {
        ...graphError(
          request,
          403,
          'Authentication_RequestFromNonPremiumTenantOrB2CTenant',
          "Neither tenant is B2C or tenant doesn't have premium license",
          now,
        ),
        clientId,
      };
    }
  }
  try {
    const call: GraphCall = { request, version: versioned[1] as 'v1.0' | 'beta', path, query: parseQuery(request.url) };
    const limited = throttled(context.throttles, call, clientId, now);
    if (limited) return { ...limited, clientId };
    const match = route.pattern.exec(path) as RegExpExecArray;
    return { ...route.handle(context, call, match), clientId };
  } catch (error: unknown) {
    if (error instanceof ODataError) return { ...graphError(request, error.status, error.code, error.message, now, {}, error.inner), clientId };
    throw error;
  }
}
