/** Renders docs/graph-calls.md from the endpoint contract (endpoints.ts); a test keeps it current. */
import { GRAPH_ENDPOINTS, type GraphEndpoint } from './endpoints.js';
import { KEY_CREDENTIALS_PER_TENANT, NAMED_LOCATIONS_PER_TENANT, REPORTS_PER_APP, REPORTS_PER_TENANT, type RateBudget } from './rate-limit.js';

const per = (b: RateBudget) => `${b.requests} per ${b.perMs / 1000} s`;

const THROTTLE: Record<GraphEndpoint['throttle'], string> = {
  reports: `reports: ${per(REPORTS_PER_TENANT)} per tenant and ${per(REPORTS_PER_APP)} per app across tenants (enforced by credwatch)`,
  namedLocations: `${per(NAMED_LOCATIONS_PER_TENANT)} per tenant, 429 without Retry-After (enforced by credwatch)`,
  directory: 'directory resource units (Retry-After honoured)',
  outlook: 'Outlook per mailbox (Retry-After honoured)',
  batch: 'each inner request counts against its own limit',
  auditLogQuery:
    "Purview audit search: no per-request rate in Graph's reference pages; credwatch creates at most a few queries per tenant per day (docs/blast-radius.md), reads status once per scan, Retry-After honoured",
};

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function filters(e: GraphEndpoint): string {
  if (!e.filters || e.filters.length === 0) return '—';
  return e.filters.map((f) => `\`${f.property}\` (${f.operators.join(', ')})`).join('; ');
}

/** The whole page. */
export function renderGraphCallsDoc(): string {
  const lines = [
    '# Microsoft Graph calls credwatch makes',
    '',
    'Generated from `src/graph/endpoints.ts` by `npm run docs`; a test fails when this page is stale.',
    'Every request credwatch builds is checked against this table before it is sent: a path, query',
    'option, `$filter` clause or page size the reference page does not document is refused with',
    '`GRAPH_CALL_UNDOCUMENTED` (a bug in credwatch, never sent to Graph). Links Graph returns',
    '(`@odata.nextLink`) are followed as given. The tenant simulator keeps its own reading of the same',
    'pages (`src/simulator/graph`), so the two readings can disagree in a test.',
    '',
    `A \`$select\` naming \`keyCredentials\` also draws on ${per(KEY_CREDENTIALS_PER_TENANT)} per tenant, enforced by credwatch.`,
    '',
    '| call | request | permissions | query options | `$filter` | max page | throttling |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const e of GRAPH_ENDPOINTS) {
    const options = e.queryOptions.length > 0 ? e.queryOptions.map((o) => `\`${o}\``).join(' ') : 'none';
    lines.push(
      `| [${e.name}](${e.reference}) | \`${e.method} /${e.version}${cell(e.path)}\` | ${e.permissions.join(' + ') || '—'} | ${options} | ${cell(filters(e))} | ${e.maxPageSize ?? '—'} | ${cell(THROTTLE[e.throttle])}${e.keyCredentialsBudget ? '; keyCredentials budget' : ''} |`,
    );
  }
  lines.push('', '## Notes per call', '');
  for (const e of GRAPH_ENDPOINTS) lines.push(`- **${e.name}** — ${e.note} ([reference](${e.reference}))`);
  lines.push('');
  return lines.join('\n');
}
