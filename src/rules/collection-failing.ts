/**
 * credwatch watching itself. A source it cannot read is a blind spot, and an attacker who removes
 * credwatch's permission, the tenant's licence or credwatch's own certificate makes exactly that one;
 * unattended (Azure Functions, `credwatch serve`) nobody reads the error in the logs. So the failure
 * goes out as an alert, through the same outbox and channels as detections.
 *
 * Why it is shaped like this:
 * - It is a rule like the others (metadata, pure match, own cases), fed one input per source that
 *   this scan could not read. The scan builds the inputs (src/scan/health.ts): this scan's failure,
 *   and from the recorded scans how many in a row failed and since when. `match` stays pure.
 * - "Transient" is the error catalogue's `retryable` flag, not a second list: throttling, Graph 5xx,
 *   a network error or an unreadable allowlist feed wait for a second failing scan in a row, because
 *   a monitor that cries wolf is ignored. Everything else is raised at once.
 * - The app is credwatch itself, the source is the finding's `resource`: every source that fails in
 *   a tenant folds into one alert (one cause — a rejected credential — blinds all three at once) that
 *   lists them. The scan time is `occurredAt`, so an ongoing failure keeps its alert alive and is
 *   repeated after the repeat interval; the event id names the failure (source, code, start,
 *   severity), so the same failure is stored once however many scans see it.
 */
import { ERROR_CATALOGUE } from '../errors.js';
import type { Finding, Severity } from '../events.js';
import { defineRule, NO_FINDINGS } from './define.js';
import { appFinding } from './findings.js';
import type { CollectionHealth, CollectionSource, RuleInput } from './types.js';

const ID = 'collection-failing';

/** Sign-ins unread for longer than this are critical whatever the cause: the Mimecast pattern goes unseen. */
export const SIGN_INS_BLIND_CRITICAL_AFTER_IN_MINUTES = 120;
/** Failing scans in a row before a transient failure is raised. */
export const TRANSIENT_FAILURES_BEFORE_ALERT = 2;

/** Codes that mean someone changed something: credwatch's credential, its permissions, the licence. */
const CHANGED: ReadonlySet<string> = new Set(['AUTH_FAILED', 'GRAPH_PERMISSION_MISSING', 'GRAPH_LICENSE_MISSING']);

const WHAT: Readonly<Record<CollectionSource, { label: (vendor: string) => string; blind: (vendor: string) => string }>> = {
  signIns: { label: () => 'sign-in logs', blind: () => 'vendor sign-ins are not being checked against their allowed networks' },
  directoryAudits: { label: () => 'directory audit logs', blind: () => 'credential additions and permission grants are not being seen as they happen' },
  inventory: { label: () => 'app inventory', blind: () => 'new apps, credentials and mailbox permissions are not being seen' },
  allowlist: { label: (v) => `allowed networks of ${v}`, blind: (v) => `${v}'s sign-ins are neither cleared nor flagged` },
};

/** The catalogue says whether waiting can help; a code this version does not know is not transient. */
export function isTransientCode(code: string | undefined): boolean {
  return code !== undefined && Object.hasOwn(ERROR_CATALOGUE, code) && ERROR_CATALOGUE[code as keyof typeof ERROR_CATALOGUE].retryable;
}

function severityOf(h: CollectionHealth, now: Date): Severity | undefined {
  const blindForInMinutes = (now.getTime() - h.failingSince.getTime()) / 60_000;
  if (CHANGED.has(h.code)) return 'critical';
  if (h.source === 'signIns' && blindForInMinutes > SIGN_INS_BLIND_CRITICAL_AFTER_IN_MINUTES) return 'critical';
  if (isTransientCode(h.code) && h.consecutiveFailures < TRANSIENT_FAILURES_BEFORE_ALERT) return undefined;
  return 'high';
}

/** `2026-11-26 10:00 UTC`: minutes, not "2 hours ago", so the summary reads the same in a repeat. */
function minute(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export const collectionFailing = defineRule({
  id: ID,
  title: 'credwatch cannot collect a source it watches',
  description:
    "Detects that credwatch itself could not read a source it needs (the sign-in logs, the directory audit logs, the app inventory, or every allowlist source of a vendor), so detections on that source are unknown, not clean. Critical when credwatch's own credential was rejected, an application permission or the Entra ID P1/P2 licence is missing (someone changed something), or the sign-in logs stay unread for more than 2 hours; high otherwise. A transient failure (throttling, Graph 5xx, a network error, an unreadable allowlist feed) is raised only from the second failing scan in a row.",
  severity: 'critical',
  mitre: ['T1562.001', 'T1562.008'],
  falsePositives: [
    "A planned change to credwatch's own app registration (a certificate rotation or a permission review) made before its configuration was updated.",
    'A Microsoft Graph or network outage lasting more than one scan (high, and critical only once the sign-in logs have been unreadable for 2 hours).',
  ],
  runbook: [
    "Run `credwatch doctor` for the tenant named in the alert: it checks the configuration, the token, the granted permissions (from the token's roles), the licence and reachability, and says how to fix each problem.",
    'AUTH_FAILED: credwatch\'s own certificate or secret was rejected. In Entra admin center > App registrations > credwatch > Certificates & secrets, check that the configured credential is still there and not expired (for a managed identity, that it still exists). If nobody in your team removed it, treat it as tampering and find who did in the audit log ("Update application – Certificates and secrets management").',
    'GRAPH_PERMISSION_MISSING: an application permission was removed or its consent revoked. Grant the permission named in the alert again with admin consent (AuditLog.Read.All for sign-in and audit logs, Application.Read.All and Directory.Read.All for the inventory, Policy.Read.All for named locations) and find who removed it in the audit log ("Remove app role assignment from service principal").',
    "GRAPH_LICENSE_MISSING: sign-in logs need Microsoft Entra ID P1 or P2. Check the tenant's licences; one that lapsed or was removed blinds sign-in correlation.",
    "GRAPH_THROTTLED, GRAPH_UNAVAILABLE, AUTH_UNAVAILABLE and other transient codes: check Microsoft 365 service health and the host's network access to the identity platform and Microsoft Graph. credwatch resumes from its watermark, so nothing is lost if it recovers within the log retention.",
    "ALLOWLIST_SOURCE_FAILED: check the vendor's allowlist sources (file path, URL, named location) that `credwatch scan` lists under NOT COLLECTED; until one can be read, that vendor's sign-ins are neither cleared nor flagged.",
    'Until it is fixed, review the vendor apps\' sign-ins in the Entra sign-in logs by hand from the time the alert gives ("since …"); after the fix, confirm with `credwatch scan` that the source is read completely again.',
  ],
  status: 'stable',
  family: ID,
  finding: 'event',
  input: 'collectionHealth',
  match({ health: h }, context): readonly Finding[] {
    const severity = severityOf(h, context.now);
    if (!severity) return NO_FINDINGS;
    const vendor = h.vendor ?? 'a vendor';
    const what = WHAT[h.source];
    const scans = `${h.consecutiveFailures} scan${h.consecutiveFailures === 1 ? '' : 's'} in a row`;
    const finding = appFinding(ID, severity, context, {
      appId: h.monitor.appId,
      appDisplayName: h.monitor.displayName,
      credentialKeyId: undefined,
      occurredAt: context.now,
      eventIds: [`health:${h.source}:${h.vendor ?? ''}:${h.code}:${h.failingSince.toISOString()}:${severity}`],
      summary:
        `credwatch cannot read the ${what.label(vendor)} of tenant ${context.tenant} (${h.code}, failing since ${minute(h.failingSince)}, ${scans}): ${what.blind(vendor)}. ${h.message.slice(0, 200)}`.trim(),
      details: {
        source: h.source,
        vendor: h.vendor ?? null,
        code: h.code,
        failingSince: h.failingSince.toISOString(),
        consecutiveFailures: h.consecutiveFailures,
      },
    });
    return [{ ...finding, resource: what.label(vendor) }];
  },
  cases: ({ minutesFromNow, TEST_NOW }) => [
    { name: 'sign-in logs forbidden: AuditLog.Read.All removed', input: health(TEST_NOW, { code: 'GRAPH_PERMISSION_MISSING' }), expect: ['critical'] },
    { name: "credwatch's own certificate rejected", input: health(TEST_NOW, { source: 'inventory', code: 'AUTH_FAILED' }), expect: ['critical'] },
    { name: 'the tenant lost its Entra ID P1/P2 licence', input: health(TEST_NOW, { code: 'GRAPH_LICENSE_MISSING' }), expect: ['critical'] },
    {
      name: 'sign-ins throttled for two scans in a row',
      input: health(TEST_NOW, { code: 'GRAPH_THROTTLED', consecutiveFailures: 2, failingSince: minutesFromNow(-15) }),
      expect: ['high'],
    },
    {
      name: 'sign-ins unreadable for more than 2 hours (Graph 5xx)',
      input: health(TEST_NOW, { code: 'GRAPH_UNAVAILABLE', consecutiveFailures: 9, failingSince: minutesFromNow(-135) }),
      expect: ['critical'],
    },
    {
      name: 'directory audits unreadable for more than 2 hours stay high',
      input: health(TEST_NOW, { source: 'directoryAudits', code: 'GRAPH_UNAVAILABLE', consecutiveFailures: 9, failingSince: minutesFromNow(-135) }),
      expect: ['high'],
    },
    {
      name: 'a query Graph rejects is raised at once',
      input: health(TEST_NOW, { source: 'directoryAudits', code: 'GRAPH_REQUEST_REJECTED' }),
      expect: ['high'],
    },
    {
      name: 'no allowlist source of a vendor readable for two scans',
      input: health(TEST_NOW, {
        source: 'allowlist',
        vendor: 'Mimecast',
        code: 'ALLOWLIST_SOURCE_FAILED',
        consecutiveFailures: 2,
        failingSince: minutesFromNow(-15),
      }),
      expect: ['high'],
    },
    { name: 'first throttled scan', input: health(TEST_NOW, { code: 'GRAPH_THROTTLED' }), expect: [] },
    { name: 'first Graph 5xx on the inventory', input: health(TEST_NOW, { source: 'inventory', code: 'GRAPH_UNAVAILABLE' }), expect: [] },
    {
      name: 'first failed read of a vendor allowlist feed',
      input: health(TEST_NOW, { source: 'allowlist', vendor: 'Mimecast', code: 'ALLOWLIST_SOURCE_FAILED' }),
      expect: [],
    },
    { name: 'token endpoint down for one scan', input: health(TEST_NOW, { code: 'AUTH_UNAVAILABLE' }), expect: [] },
  ],
});

/** A case input: the sign-in logs failed in this scan (at `now`), for the first time, with credwatch's app id. */
function health(now: Date, over: Partial<CollectionHealth>): RuleInput {
  return {
    type: 'collectionHealth',
    health: {
      source: 'signIns',
      vendor: undefined,
      code: 'GRAPH_PERMISSION_MISSING',
      message: 'Graph refused /auditLogs/signIns (Authorization_RequestDenied): credwatch needs AuditLog.Read.All.',
      failingSince: now,
      consecutiveFailures: 1,
      monitor: { appId: '0e5c1d2a-0000-4000-8000-00000000cafe', displayName: 'credwatch (monitoring)' },
      ...over,
    },
  };
}
