/**
 * The test kit rule cases are written with (its shape is `RuleCaseKit`, src/rules/case-kit.ts).
 * Test code only: each rule file writes its own positive and negative cases next to its match as a
 * function of this kit, and the case runner (test/rules/cases.test.ts) hands the kit in, so
 * production never loads these fixtures. Defaults describe a quiet tenant with one Mimecast-like
 * vendor app.
 */
import ipaddr from 'ipaddr.js';
import type { AppCredential, AuditEvent, InventoryApp, MailboxPermission, RangeProvenance, SignInEvent } from '../../src/events.js';
import { DEFAULT_POSTURE, type AssessedCredential, type CredentialFlag } from '../../src/inventory/assess.js';
import type { RuleCaseKit } from '../../src/rules/case-kit.js';
import type { InputOf } from '../../src/rules/define.js';
import { networkKey } from '../../src/rules/network-key.js';
import type { AllowlistView, InventoryChange, RuleContext } from '../../src/rules/types.js';

/** The fixed clock of every case. */
export const TEST_NOW = new Date('2026-11-26T12:00:00Z');
export const TEST_TENANT = 'contoso.onmicrosoft.com';
export const VENDOR_APP_ID = '4d3c2b1a-0000-4000-8000-00000000abcd';
export const VENDOR_KEY_ID = 'a1b2c3d4-1111-4111-8111-000000000001';
export const OWN_APP_ID = '7e6f5a4b-0000-4000-8000-00000000c0de';
export const OWN_APP_OBJECT_ID = 'obj-7e6f5a4b';
export const OWN_KEY_ID = 'b2c3d4e5-2222-4222-8222-000000000002';
export const NEW_KEY_ID = 'c3d4e5f6-3333-4333-8333-000000000003';
export const MIMECAST_RANGES: readonly string[] = ['205.139.110.0/24', '2a01:111:f400::/48'];

const MINUTE = 60_000;
const DAY = 86_400_000;

/** `TEST_NOW` moved by whole minutes (negative = earlier). */
export function minutesFromNow(minutes: number): Date {
  return new Date(TEST_NOW.getTime() + minutes * MINUTE);
}

/** `TEST_NOW` moved by whole days (negative = earlier). */
export function daysFromNow(days: number): Date {
  return new Date(TEST_NOW.getTime() + days * DAY);
}

const NO_ADDS: ReadonlyArray<{ keyId: string | undefined; at: Date; eventId: string }> = Object.freeze([]);

/** A quiet tenant: no apps, no allowlists, nothing recent, nothing learned, the real network key. */
export function testContext(overrides: Partial<RuleContext> = {}): RuleContext {
  return {
    tenant: TEST_TENANT,
    now: TEST_NOW,
    posture: DEFAULT_POSTURE,
    app: () => undefined,
    appByObjectId: () => undefined,
    allowlist: () => ({ status: 'none' }),
    recentCredentialAdds: () => NO_ADDS,
    learnedNetworks: () => undefined,
    networkKey,
    ...overrides,
  };
}

/** Context overrides that make the inventory know these apps (by app id, object id and service principal id). */
export function withApps(...apps: InventoryApp[]): Pick<RuleContext, 'app' | 'appByObjectId'> {
  const byAppId = new Map(apps.map((a) => [a.appId, a]));
  const byObjectId = new Map<string, InventoryApp>();
  for (const a of apps) {
    if (a.applicationObjectId) byObjectId.set(a.applicationObjectId, a);
    if (a.servicePrincipalId) byObjectId.set(a.servicePrincipalId, a);
  }
  return { app: (appId) => byAppId.get(appId), appByObjectId: (id) => byObjectId.get(id) };
}

/** An 'ok' allowlist that checks containment with ipaddr.js (linear; production uses the real matcher). */
export function allowlistOk(cidrs: readonly string[], vendor: string, options: { stale?: boolean } = {}): AllowlistView {
  const stale = options.stale ?? false;
  const ranges = cidrs.map((cidr) => ({
    network: ipaddr.parseCIDR(cidr),
    provenance: { vendor, source: 'cidrs', cidr, fetchedAt: undefined, stale } satisfies RangeProvenance,
  }));
  return {
    status: 'ok',
    vendor,
    stale,
    sample: ranges.map((r) => r.provenance),
    match(ip: string): RangeProvenance[] | undefined {
      if (!ipaddr.isValid(ip)) return undefined;
      const address = ipaddr.process(ip); // IPv4-mapped IPv6 → IPv4, as the real matcher does
      const hits = ranges.filter(({ network: [net, bits] }) => net.kind() === address.kind() && address.match(net, bits)).map((r) => r.provenance);
      return hits.length > 0 ? hits : undefined;
    },
  };
}

/** Context override: every app gets this allowlist. */
export function allowlistFor(view: AllowlistView): Pick<RuleContext, 'allowlist'> {
  return { allowlist: () => view };
}

/** EWS `full_access_as_app`: every mailbox of the tenant (what Mimecast held). */
export const FULL_ACCESS_AS_APP: MailboxPermission = Object.freeze({
  permission: 'full_access_as_app',
  resource: 'exchange',
  api: 'ews',
  type: 'application',
  reach: 'allMailboxes',
  grantedAt: undefined,
});

/** A per-user delegated `Mail.Read` grant: some mailboxes, not all. */
export const DELEGATED_MAIL_READ: MailboxPermission = Object.freeze({
  permission: 'Mail.Read',
  resource: 'graph',
  api: 'graph',
  type: 'delegated',
  reach: 'someUsers',
  grantedAt: undefined,
});

/** A multi-tenant vendor app as the customer's inventory sees it: no visible credentials, no permissions. */
export function inventoryApp(over: Partial<InventoryApp> = {}): InventoryApp {
  return {
    appId: VENDOR_APP_ID,
    displayName: 'Mimecast Services',
    servicePrincipalId: 'sp-vendor',
    applicationObjectId: undefined,
    appOwnerOrganizationId: 'vendor-tenant-0001',
    ownership: 'thirdParty',
    servicePrincipalType: 'Application',
    accountEnabled: true,
    signInAudience: 'AzureADMultipleOrgs',
    createdDateTime: daysFromNow(-900),
    credentials: [],
    appRoleAssignments: [],
    delegatedGrants: [],
    mailboxPermissions: [],
    ...over,
  };
}

/** The tenant's own line-of-business app, registered here, with one certificate. */
export function ownApp(over: Partial<InventoryApp> = {}): InventoryApp {
  return inventoryApp({
    appId: OWN_APP_ID,
    displayName: 'Contoso Mail Archiver',
    servicePrincipalId: 'sp-own',
    applicationObjectId: OWN_APP_OBJECT_ID,
    appOwnerOrganizationId: 'contoso-tenant',
    ownership: 'own',
    signInAudience: 'AzureADMyOrg',
    credentials: [credential()],
    ...over,
  });
}

/** A certificate on the app registration, valid for a year from 100 days ago. */
export function credential(over: Partial<AppCredential> = {}): AppCredential {
  return {
    keyId: OWN_KEY_ID,
    kind: 'certificate',
    holder: 'application',
    displayName: 'CN=archiver',
    startDateTime: daysFromNow(-100),
    endDateTime: daysFromNow(265),
    thumbprintSha1: 'AB12CD34EF56AB12CD34EF56AB12CD34EF56AB12',
    hint: undefined,
    usage: 'Verify',
    federated: undefined,
    certificate: undefined,
    ...over,
  };
}

/** A vendor certificate sign-in to Exchange Online from outside Mimecast's ranges, an hour ago. */
export function signIn(over: Partial<SignInEvent> = {}): InputOf<'signIn'> {
  const event: SignInEvent = {
    id: 'signin-1',
    createdAt: minutesFromNow(-60),
    appId: VENDOR_APP_ID,
    appDisplayName: 'Mimecast Services',
    servicePrincipalId: 'sp-vendor',
    ipAddress: '203.0.113.40',
    rawIpAddress: undefined,
    countryOrRegion: 'NL',
    city: 'Amsterdam',
    asn: 64512,
    resourceId: '00000002-0000-0ff1-ce00-000000000000',
    resourceDisplayName: 'Office 365 Exchange Online',
    credentialType: 'certificate',
    rawCredentialType: undefined,
    credentialKeyId: VENDOR_KEY_ID,
    credentialThumbprint: undefined,
    federatedCredentialId: undefined,
    outcome: 'success',
    errorCode: 0,
    failureReason: undefined,
    correlationId: undefined,
    ...over,
  };
  return { type: 'signIn', event };
}

/** An admin adding a certificate to the own app ("Certificates and secrets management"), 10 minutes ago. */
export function audit(over: Partial<AuditEvent> = {}): InputOf<'audit'> {
  const event: AuditEvent = {
    id: 'audit-1',
    activityAt: minutesFromNow(-10),
    activity: 'Update application – Certificates and secrets management ',
    kind: 'applicationCredentialsChanged',
    result: 'success',
    initiatedBy: { type: 'user', id: 'user-1', name: 'admin@contoso.com' },
    target: { id: OWN_APP_OBJECT_ID, type: 'Application', displayName: 'Contoso Mail Archiver', appId: undefined },
    credentialChanges: [{ change: 'added', keyId: NEW_KEY_ID, keyType: 'AsymmetricX509Cert', keyUsage: 'Verify', displayName: 'CN=archiver-2' }],
    permissions: [],
    ...over,
  };
  return { type: 'audit', event };
}

/** An inventory-diff input. */
export function inventoryChange(change: InventoryChange): InputOf<'inventoryChange'> {
  return { type: 'inventoryChange', change };
}

/** A credential with its assessment flags (dates derived from the credential and `TEST_NOW`). */
export function assessed(c: AppCredential, flags: CredentialFlag[] = []): AssessedCredential {
  const end = c.endDateTime?.getTime();
  const start = c.startDateTime?.getTime();
  return {
    credential: c,
    flags,
    daysToExpiry: end === undefined ? undefined : Math.floor((end - TEST_NOW.getTime()) / DAY),
    lifetimeInDays: end === undefined || start === undefined ? undefined : Math.round((end - start) / DAY),
  };
}

/** A posture input: mailbox capability follows the app's permissions, as `assessInventory` decides it. */
export function posture(app: InventoryApp, credentials: AssessedCredential[] = []): InputOf<'posture'> {
  return { type: 'posture', assessment: { app, mailboxCapable: app.mailboxPermissions.length > 0, credentials } };
}

/** Everything above, as the one object each rule's `cases` receives. */
export const kit: RuleCaseKit = Object.freeze({
  TEST_NOW,
  TEST_TENANT,
  VENDOR_APP_ID,
  VENDOR_KEY_ID,
  OWN_APP_ID,
  OWN_APP_OBJECT_ID,
  OWN_KEY_ID,
  NEW_KEY_ID,
  MIMECAST_RANGES,
  FULL_ACCESS_AS_APP,
  DELEGATED_MAIL_READ,
  minutesFromNow,
  daysFromNow,
  withApps,
  allowlistOk,
  allowlistFor,
  inventoryApp,
  ownApp,
  credential,
  signIn,
  audit,
  inventoryChange,
  assessed,
  posture,
});
