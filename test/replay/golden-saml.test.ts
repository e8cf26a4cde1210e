/**
 * Real Entra audit rows from the OTRF Golden SAML dataset (test/fixtures/real/otrf-goldensaml,
 * SimuLand lab, 2021) through credwatch's audit normalizer, the audit reader and the rules. The rows
 * are Log Analytics `AuditLogs` rows; log-analytics.ts maps each column onto the Graph directoryAudit
 * property with the same value (https://learn.microsoft.com/graph/api/resources/directoryaudit).
 *
 * What the rules make of the attack: the secret added to SimuLandApp raises `credential-added` once
 * (the export repeats that record), the Mail.ReadWrite delegated grant raises
 * `mailbox-permission-granted` (high) against SimuLandApp, the client named by
 * `ServicePrincipal.ObjectID` (not Microsoft Graph, the API the row names first), and the
 * RequiredResourceAccess update is not read at all.
 */
import { describe, expect, it } from 'vitest';
import { normalizeAudit, readAuditPages } from '../../src/collect/audits.js';
import type { Json } from '../../src/collect/values.js';
import { runRules } from '../../src/detect/run.js';
import type { AuditEvent, MailboxPermission } from '../../src/events.js';
import { RULES } from '../../src/rules/index.js';
import { inventoryApp, testContext, withApps } from '../rules/kit.js';
import { readAudits } from '../../src/scan/audits.js';
import { realFile } from './fixtures.js';
import { directoryAuditFromLogAnalytics, ndjsonRows } from './log-analytics.js';
import { replayGraph } from './replay-graph.js';

const NOOP_LOGGER = { error: () => undefined };

const raw = realFile('otrf-goldensaml/AADAuditEvents.json');
const laRows = ndjsonRows(raw);
const graphRows = laRows.map(directoryAuditFromLogAnalytics);

const CREDENTIAL_AUDIT_ID = 'Directory_10065ffb-8199-48bc-8ff5-912cb5b8295a_AUMVX_13992832';
const REQUIRED_ACCESS_AUDIT_ID = 'Directory_ae69aa7a-e9b7-4066-84f2-58582994d8cb_7H1JL_8584070';
const GRANT_AUDIT_ID = 'Directory_630d7f0c-acc4-4596-85ab-7e5d839b4291_9VRQI_37762000';
const ACTIVITY = 'Update application \u2013 Certificates and secrets management ';
const SIMULAND_APP_OBJECT_ID = '11b49e19-2326-4be6-93cb-7f37439bbd81';
const SIMULAND_SP_ID = '0d2f5969-011b-460d-ac74-3291d227d49f';
const GRAPH_SP_ID = '401dd906-ea4f-4d41-b762-7e936d222368';
// Not in the audit rows: the mailbox access in OfficeActivityEvents.json names this ClientAppId,
// taken here as SimuLandApp's app id.
const SIMULAND_APP_ID = '5a95e683-08ad-424e-a441-1d1aec52c02c';

function normalized(row: Json): AuditEvent {
  const result = normalizeAudit(row);
  if ('quarantined' in result) throw new Error(`quarantined: ${result.quarantined}`);
  return result;
}

const delegatedMailReadWrite: MailboxPermission = {
  permission: 'Mail.ReadWrite',
  resource: 'graph',
  api: 'graph',
  type: 'delegated',
  reach: 'allUsers',
  grantedAt: undefined,
};

/** The tenant as credwatch's inventory would see it after the attack: SimuLandApp with its grant, and Microsoft Graph. */
function inventoryAfterTheAttack() {
  const simuland = inventoryApp({
    appId: SIMULAND_APP_ID,
    displayName: 'SimuLandApp',
    servicePrincipalId: SIMULAND_SP_ID,
    applicationObjectId: SIMULAND_APP_OBJECT_ID,
    ownership: 'own',
    mailboxPermissions: [delegatedMailReadWrite],
  });
  const microsoftGraph = inventoryApp({
    appId: '00000003-0000-0000-c000-000000000000',
    displayName: 'Microsoft Graph',
    servicePrincipalId: GRAPH_SP_ID,
    ownership: 'microsoft',
    appOwnerOrganizationId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
  });
  return withApps(simuland, microsoftGraph);
}

describe('the OTRF Golden SAML audit rows', () => {
  it('are four NDJSON rows with CRLF line ends, the en dash and the trailing space intact', () => {
    expect(laRows).toHaveLength(4);
    expect(raw.toString('utf8').split('\r\n').filter(Boolean)).toHaveLength(4);
    expect(laRows[0]?.OperationName).toBe(ACTIVITY);
    expect(raw.includes(Buffer.from('\u2013', 'utf8'))).toBe(true);
  });

  it('are Log Analytics rows whose nested columns are JSON strings, not Graph directoryAudit objects', () => {
    expect(laRows.map((r) => r.Type)).toEqual(['AuditLogs', 'AuditLogs', 'Application', 'ServicePrincipal']);
    expect(typeof laRows[0]?.TargetResources).toBe('string');
    expect(typeof laRows[0]?.InitiatedBy).toBe('string');
  });

  it('are each quarantined with a reason when handed to the normalizer unmapped (PascalCase columns)', () => {
    for (const row of laRows) expect(normalizeAudit(row)).toEqual({ quarantined: 'missing id, activityDateTime or activityDisplayName', id: undefined });
  });

  it('hold three audit records: the first two rows are one record expanded by the export query', () => {
    expect(graphRows.map((r) => r.id)).toEqual([CREDENTIAL_AUDIT_ID, CREDENTIAL_AUDIT_ID, REQUIRED_ACCESS_AUDIT_ID, GRANT_AUDIT_ID]);
    expect(normalized(graphRows[0]!)).toEqual(normalized(graphRows[1]!));
  });
});

describe('the secret added to SimuLandApp', () => {
  const event = normalized(graphRows[0]!);

  it('keeps the activity name byte for byte and still recognises it as a credential change', () => {
    expect(event.activity).toBe(ACTIVITY);
    expect(event.kind).toBe('applicationCredentialsChanged');
    expect(event.activityAt.toISOString()).toBe('2021-08-02T13:29:25.983Z');
    expect(event.result).toBe('success');
  });

  it('reads the added password credential from KeyDescription with its key id, type, usage and name', () => {
    expect(event.credentialChanges).toEqual([
      { change: 'added', keyId: '59eaeebc-8a6b-44a6-9f24-7d55e64420c9', keyType: 'Password', keyUsage: 'Verify', displayName: 'SimuLandCreds' },
    ]);
  });

  it('names the user who added it and the application object it was added to', () => {
    expect(event.initiatedBy).toEqual({ type: 'user', id: 'aead923d-498b-4f64-a66c-2af91447a8b6', name: 'pgustavo@simulandlabs.com' });
    expect(event.target).toEqual({ id: SIMULAND_APP_OBJECT_ID, type: 'Application', displayName: 'SimuLandApp', appId: undefined });
    expect(event.permissions).toEqual([]);
  });

  it('raises credential-added (medium) against the application object when the inventory does not know the app', () => {
    const { findings, errors } = runRules(RULES, [{ type: 'audit', event }], testContext(), NOOP_LOGGER);
    expect(errors).toEqual([]);
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([['credential-added', 'medium']]);
    expect(findings[0]).toMatchObject({
      appId: SIMULAND_APP_OBJECT_ID,
      appDisplayName: 'SimuLandApp',
      credentialKeyId: '59eaeebc-8a6b-44a6-9f24-7d55e64420c9',
      eventIds: [CREDENTIAL_AUDIT_ID],
      summary: 'Client secret added to "SimuLandApp" by pgustavo@simulandlabs.com',
    });
    expect(findings[0]?.occurredAt.toISOString()).toBe('2021-08-02T13:29:25.983Z');
  });

  it('raises credential-added (high) for SimuLandApp once the inventory shows its Mail.ReadWrite grant', () => {
    const { findings } = runRules(RULES, [{ type: 'audit', event }], testContext(inventoryAfterTheAttack()), NOOP_LOGGER);
    expect(findings.map((f) => [f.ruleId, f.severity, f.appId, f.appDisplayName])).toEqual([['credential-added', 'high', SIMULAND_APP_ID, 'SimuLandApp']]);
    expect(findings[0]?.details).toMatchObject({
      holder: 'application',
      credentialKind: 'secret',
      keyDisplayName: 'SimuLandCreds',
      initiatorType: 'user',
      appKnown: true,
      mailboxCapable: true,
    });
  });
});

describe('the RequiredResourceAccess update (Mail.ReadWrite requested, not yet granted)', () => {
  it('is read as an activity credwatch does not judge', () => {
    const event = normalized(graphRows[2]!);
    expect(event.activity).toBe('Update application');
    expect(event.kind).toBe('other');
    expect(event.credentialChanges).toEqual([]);
    expect(event.permissions).toEqual([]);
  });
});

describe('the Mail.ReadWrite delegated permission grant', () => {
  const event = normalized(graphRows[3]!);

  it('reads as granted only the scope the change added to DelegatedPermissionGrant.Scope (User.Read was there before)', () => {
    expect(event.kind).toBe('delegatedGrantAdded');
    expect(event.activity).toBe('Add delegated permission grant');
    expect(event.permissions).toEqual(['Mail.ReadWrite']);
    expect(event.initiatedBy).toEqual({ type: 'user', id: 'aead923d-498b-4f64-a66c-2af91447a8b6', name: 'pgustavo@simulandlabs.com' });
  });

  it('has the resource (Microsoft Graph) as its first target and no client app id (ServicePrincipal.AppId is null)', () => {
    expect(event.target).toEqual({ id: GRAPH_SP_ID, type: 'ServicePrincipal', displayName: 'Microsoft Graph', appId: undefined });
  });

  it('names the client by its service principal object id and the API by its names', () => {
    expect(event.grant).toEqual({
      client: { servicePrincipalId: SIMULAND_SP_ID, appId: undefined, displayName: undefined },
      resource: { servicePrincipalId: GRAPH_SP_ID, appId: '00000003-0000-0000-c000-000000000000', displayName: 'Microsoft Graph' },
    });
  });

  it('raises mailbox-permission-granted (high) for Mail.ReadWrite, by the user who granted it', () => {
    const { findings, errors } = runRules(RULES, [{ type: 'audit', event }], testContext(), NOOP_LOGGER);
    expect(errors).toEqual([]);
    expect(findings.map((f) => [f.ruleId, f.severity])).toEqual([['mailbox-permission-granted', 'high']]);
    expect(findings[0]?.eventIds).toEqual([GRANT_AUDIT_ID]);
    expect(findings[0]?.details).toMatchObject({
      permissions: 'Mail.ReadWrite',
      protocols: 'graph',
      initiatedBy: 'pgustavo@simulandlabs.com',
      resource: 'Microsoft Graph',
    });
  });

  it("falls back to the client's object id when the inventory does not know the app", () => {
    const { findings } = runRules(RULES, [{ type: 'audit', event }], testContext(), NOOP_LOGGER);
    expect(findings[0]).toMatchObject({ appId: SIMULAND_SP_ID, appDisplayName: SIMULAND_SP_ID, resource: 'Microsoft Graph' });
  });

  it('names SimuLandApp, the client that received the grant, rather than the Microsoft Graph resource', () => {
    const { findings } = runRules(RULES, [{ type: 'audit', event }], testContext(inventoryAfterTheAttack()), NOOP_LOGGER);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      ruleId: 'mailbox-permission-granted',
      appId: SIMULAND_APP_ID,
      appDisplayName: 'SimuLandApp',
      resource: 'Microsoft Graph',
    });
    expect(findings[0]?.summary).toBe('Mail.ReadWrite (Graph) granted to "SimuLandApp" on Microsoft Graph by pgustavo@simulandlabs.com');
    expect(findings[0]?.details).toMatchObject({ clientServicePrincipalId: SIMULAND_SP_ID, appKnown: true, ownership: 'own' });
  });
});

describe('the audit reader over the rows as one Graph page', () => {
  it('keeps the credential change and the grant, skips the unjudged update, and quarantines nothing', async () => {
    const replay = replayGraph({ 'GET /v1.0/auditLogs/directoryAudits': { status: 200, body: { value: graphRows } } });
    const pages = [];
    for await (const page of readAuditPages(replay.graph, new Date('2021-08-02T13:00:00Z'), new Date('2021-08-02T14:00:00Z'))) pages.push(page);
    expect(pages).toHaveLength(1);
    expect(pages[0]?.raw).toBe(4);
    expect(pages[0]?.quarantined).toEqual([]);
    expect(pages[0]?.events.map((e) => e.id)).toEqual([CREDENTIAL_AUDIT_ID, CREDENTIAL_AUDIT_ID, GRANT_AUDIT_ID]);
  });

  it("holds the repeated record once in the scan's audit window: two events judged from four rows", async () => {
    const replay = replayGraph({ 'GET /v1.0/auditLogs/directoryAudits': { status: 200, body: { value: graphRows } } });
    const { events, quarantined } = await readAudits(replay.graph, new Date('2021-08-02T13:00:00Z'), new Date('2021-08-02T14:00:00Z'));
    expect(quarantined).toEqual([]);
    expect(events.map((e) => e.id)).toEqual([CREDENTIAL_AUDIT_ID, GRANT_AUDIT_ID]);
    const { findings } = runRules(
      RULES,
      events.map((e) => ({ type: 'audit' as const, event: e })),
      testContext(inventoryAfterTheAttack()),
      NOOP_LOGGER,
    );
    expect(findings.map((f) => [f.ruleId, f.severity, f.eventIds[0]])).toEqual([
      ['credential-added', 'high', CREDENTIAL_AUDIT_ID],
      ['mailbox-permission-granted', 'high', GRANT_AUDIT_ID],
    ]);
  });
});
