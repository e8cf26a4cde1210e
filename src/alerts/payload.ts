import { ALERT_SCHEMA, blastRadiusPayload, type AlertPayload, type RuleSummary } from '../alert-payload.js';
import type { StoredAlert } from '../state/types.js';

// The payload's shape lives in the bottom layer (src/alert-payload.ts) so the presentation layer
// (src/present/) reads it without depending on alerts/, whose channels depend on it.
export { ALERT_SCHEMA, escalationOf, updateOf, type AlertPayload, type RuleSummary } from '../alert-payload.js';

/** The app in the Entra admin center (the enterprise application blade, by app id). */
export function entraAppUrl(appId: string): string {
  return `https://entra.microsoft.com/#view/Microsoft_AAD_IAM/ManagedAppMenuBlade/~/Overview/appId/${encodeURIComponent(appId)}`;
}

/** The alert as it stands, for round `notification` (escalation and update are added by the renderer). */
export function toPayload(alert: StoredAlert, rule: RuleSummary, notification: number): AlertPayload {
  return {
    schema: ALERT_SCHEMA,
    alertId: alert.alertId,
    tenant: alert.tenant,
    severity: alert.severity,
    rule: { id: rule.id, title: rule.title, description: rule.description, mitre: rule.mitre, runbook: rule.runbook, falsePositives: rule.falsePositives },
    app: { appId: alert.appId, displayName: alert.appDisplayName, entraUrl: entraAppUrl(alert.appId) },
    credentialKeyId: alert.credentialKeyId ?? null,
    network: alert.network ?? null,
    summary: alert.summary,
    firstSeen: alert.firstSeen.toISOString(),
    lastSeen: alert.lastSeen.toISOString(),
    count: alert.count,
    successCount: alert.successCount,
    failureCount: alert.failureCount,
    ips: alert.ips,
    countries: alert.countries,
    asns: alert.asns,
    resources: alert.resources,
    allowlist: alert.allowlist.map((p) => ({ ...p, fetchedAt: p.fetchedAt ? p.fetchedAt.toISOString() : null })),
    notification,
    ...(alert.blastRadius ? { blastRadius: blastRadiusPayload(alert.blastRadius) } : {}),
  };
}
