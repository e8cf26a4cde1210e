import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkGraphRequest, filterClauses } from '../../src/graph/contract.js';
import { renderGraphCallsDoc } from '../../src/graph/doc.js';
import { GRAPH_ENDPOINTS } from '../../src/graph/endpoints.js';
import { rolesForPath } from '../../src/graph/permissions.js';
import { isCredwatchError } from '../../src/errors.js';
import { packageRoot } from '../../src/package-root.js';

function refusal(method: 'GET' | 'POST', url: string): string {
  try {
    checkGraphRequest(method, url);
  } catch (e: unknown) {
    if (isCredwatchError(e)) return `${e.code}: ${e.message}`;
    throw e;
  }
  return 'accepted';
}

const SP_FILTER =
  "signInEventTypes/any(t: t eq 'servicePrincipal') and createdDateTime ge 2026-12-01T00:00:00.000Z and createdDateTime le 2026-12-01T01:00:00.000Z";

describe('the Graph endpoint contract', () => {
  it('keeps docs/graph-calls.md exactly as generated from the table (run npm run docs)', async () => {
    const doc = await readFile(join(packageRoot(), 'docs', 'graph-calls.md'), 'utf8');
    expect(doc).toBe(renderGraphCallsDoc());
  });

  it('cites a Microsoft reference page for every call and lists filters and page sizes only where the options allow them', () => {
    for (const e of GRAPH_ENDPOINTS) {
      expect(e.reference, e.name).toMatch(/^https:\/\/learn\.microsoft\.com\/graph\//);
      if (e.filters) expect(e.queryOptions, e.name).toContain('$filter');
      if (e.maxPageSize !== undefined) expect(e.queryOptions, e.name).toContain('$top');
      expect(e.note.length, e.name).toBeGreaterThan(20);
    }
    expect(new Set(GRAPH_ENDPOINTS.map((e) => e.name)).size).toBe(GRAPH_ENDPOINTS.length);
  });

  it('refuses a $select on sign-ins, which Graph answers with 400', () => {
    expect(refusal('GET', `https://graph.microsoft.com/beta/auditLogs/signIns?$select=id,appId&$filter=${encodeURIComponent(SP_FILTER)}`)).toMatch(
      /^GRAPH_CALL_UNDOCUMENTED: signIns\.list does not document the query option \$select/,
    );
  });

  it('accepts the sign-in request a scan sends', () => {
    expect(refusal('GET', `https://graph.microsoft.com/beta/auditLogs/signIns?$filter=${encodeURIComponent(SP_FILTER)}&$top=1000`)).toBe('accepted');
  });

  it('refuses a page larger than the documented maximum', () => {
    expect(refusal('GET', 'https://graph.microsoft.com/beta/auditLogs/signIns?$top=1001')).toMatch(/pages at most 1000/);
    expect(refusal('GET', 'https://graph.microsoft.com/v1.0/servicePrincipals?$top=1000')).toMatch(/pages at most 999/);
  });

  it('refuses a filter on a property the resource page does not list, such as clientCredentialType', () => {
    expect(refusal('GET', `https://graph.microsoft.com/beta/auditLogs/signIns?$filter=${encodeURIComponent("clientCredentialType eq 'certificate'")}`)).toMatch(
      /does not document \$filter on clientCredentialType with eq/,
    );
    expect(
      refusal('GET', `https://graph.microsoft.com/v1.0/auditLogs/directoryAudits?$filter=${encodeURIComponent('activityDateTime gt 2026-12-01T00:00:00Z')}`),
    ).toMatch(/activityDateTime with gt/);
  });

  it('refuses $select on directory audits and on federated credentials a $top the page does not document', () => {
    expect(refusal('GET', 'https://graph.microsoft.com/v1.0/auditLogs/directoryAudits?$select=id')).toMatch(/\$select/);
    expect(refusal('GET', 'https://graph.microsoft.com/v1.0/applications/11111111-2222-3333-4444-555555555555/federatedIdentityCredentials?$top=20')).toMatch(
      /\$top/,
    );
  });

  it('refuses a call that is not in the table, or the beta version of a v1.0 call', () => {
    expect(refusal('GET', 'https://graph.microsoft.com/v1.0/users')).toMatch(/not a call in credwatch's Graph contract/);
    expect(refusal('GET', 'https://graph.microsoft.com/beta/servicePrincipals')).toMatch(/not a call/);
    expect(refusal('GET', 'https://graph.microsoft.com/v1.0/auditLogs/signIns')).toMatch(/not a call/);
  });

  it('reads relative batch urls the same way', () => {
    expect(refusal('GET', '/v1.0/applications/11111111-2222-3333-4444-555555555555/federatedIdentityCredentials?$select=id,name')).toBe('accepted');
  });

  it('splits filters into property and operator, including lambdas and parentheses', () => {
    expect(filterClauses("(signInEventTypes/any(t: t eq 'servicePrincipal')) and (createdDateTime ge 2026-01-01T00:00:00Z)")).toEqual([
      { property: 'signInEventTypes', operator: 'any' },
      { property: 'createdDateTime', operator: 'ge' },
    ]);
    expect(filterClauses("startswith(displayName, 'a')")).toEqual([{ property: 'displayName', operator: 'startswith' }]);
    expect(filterClauses("appId eq 'a' or appId eq 'b'")[0]?.operator).toBe('or/not');
  });

  it('names the permissions of a path from the same table', () => {
    expect(rolesForPath('/beta/auditLogs/signIns')).toEqual(['AuditLog.Read.All', 'Directory.Read.All']);
    expect(rolesForPath('/v1.0/identity/conditionalAccess/namedLocations')).toEqual(['Policy.Read.All']);
    expect(rolesForPath('/v1.0/users/alerts%40contoso.com/sendMail')).toEqual(['Mail.Send']);
    expect(rolesForPath('/v1.0/unknown')).toEqual([]);
  });
});
