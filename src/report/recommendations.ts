/**
 * What to do first, derived from the report's own sections so every recommendation points at the
 * items behind it. Ordered by priority (now, soon, plan), then by the order below: an attack in
 * progress, then blind spots, then hygiene.
 */
import { CORE_SOURCES } from './health.js';
import type { CredentialRow, Recommendation, WeeklyReport } from './types.js';

type Parts = Pick<WeeklyReport, 'alerts' | 'hygiene' | 'appsWithoutAllowlist' | 'health' | 'staleAllowlists' | 'exposure' | 'conformity'>;

const PRIORITY: Readonly<Record<Recommendation['priority'], number>> = { now: 0, soon: 1, plan: 2 };
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const unique = (values: readonly string[]) => [...new Set(values)];
const keys = (rows: readonly CredentialRow[]) => unique(rows.map((r) => r.keyId));

export function buildRecommendations(p: Parts): Recommendation[] {
  const out: Recommendation[] = [];
  const add = (priority: Recommendation['priority'], section: Recommendation['section'], refersTo: string[], text: string) => {
    if (refersTo.length > 0) out.push({ priority, text, refersTo, section });
  };
  const active = p.alerts.filter((a) => !a.suppressed);

  const critical = active.filter((a) => a.severity === 'critical');
  add(
    'now',
    'alerts',
    critical.map((a) => a.alertId),
    `Investigate ${plural(critical.length, 'critical alert')} now: a mailbox-capable credential may be in someone else's hands. Follow each alert's runbook.`,
  );
  const high = active.filter((a) => a.severity === 'high');
  add(
    'soon',
    'alerts',
    high.map((a) => a.alertId),
    `Review ${plural(high.length, 'high-severity alert')} this week.`,
  );
  const undelivered = p.alerts.filter((a) => a.delivery.failed > 0);
  add(
    'now',
    'alerts',
    undelivered.map((a) => a.alertId),
    `${plural(undelivered.length, 'alert')} could not be delivered to a channel: fix the channel (see the delivery error) so the next alert reaches someone.`,
  );

  const signIns = p.health.find((h) => h.source === 'signIns');
  if (signIns?.status === 'notLicensed') {
    add(
      'now',
      'health',
      ['signIns'],
      'Assign Microsoft Entra ID P1 or P2: without it sign-in logs cannot be read, so a stolen vendor certificate used from elsewhere goes unnoticed.',
    );
  }
  const broken = p.health.filter((h) => h.status === 'failed' || (h.status === 'notCollected' && CORE_SOURCES.includes(h.source)));
  add(
    'now',
    'health',
    broken.map((h) => h.source),
    `Fix data collection for ${broken.map((h) => h.source).join(', ')}: nothing was read this week, so these are unknown, not clean.`,
  );
  const partial = p.health.filter((h) => h.status === 'partial');
  add(
    'soon',
    'health',
    partial.map((h) => h.source),
    `Check why ${partial.map((h) => h.source).join(', ')} ${partial.length === 1 ? 'was' : 'were'} read only in part this week.`,
  );

  const networks = p.conformity.topUnexpectedNetworks;
  add(
    'soon',
    'conformity',
    networks.map((n) => n.network),
    `Confirm with each vendor whether ${plural(networks.length, 'network')} outside its allowlist ${networks.length === 1 ? 'is' : 'are'} theirs; if not, remove the credential and review mailbox access.`,
  );
  const vendorApps = p.appsWithoutAllowlist.filter((a) => a.ownership !== 'own');
  add(
    'soon',
    'appsWithoutAllowlist',
    vendorApps.map((a) => a.appId),
    `Configure an allowlist for ${plural(vendorApps.length, 'mailbox-capable vendor app')}: ask each vendor for the networks its service uses.`,
  );
  const ownApps = p.appsWithoutAllowlist.filter((a) => a.ownership === 'own');
  add(
    'soon',
    'appsWithoutAllowlist',
    ownApps.map((a) => a.appId),
    `Configure an allowlist for ${plural(ownApps.length, 'mailbox-capable app')} of your own: list the networks where it runs (its hosting's outbound addresses).`,
  );
  add(
    'soon',
    'staleAllowlists',
    p.staleAllowlists.map((s) => `allowlist:${s.vendor}:${s.source}`),
    `Repair ${plural(p.staleAllowlists.length, 'allowlist source')} that ${p.staleAllowlists.length === 1 ? 'is' : 'are'} stale or unreadable.`,
  );

  const h = p.hygiene;
  add(
    'soon',
    'hygiene',
    keys(h.secretsOnMailboxApps),
    `Replace ${plural(keys(h.secretsOnMailboxApps).length, 'client secret')} on mailbox-capable apps with certificates or federated credentials.`,
  );
  add('soon', 'hygiene', keys(h.expired), `Remove ${plural(keys(h.expired).length, 'expired credential')}: they serve no one and hide the ones that matter.`);
  add('soon', 'hygiene', keys(h.weak), `Replace ${plural(keys(h.weak).length, 'weak certificate')} (RSA under 2048 bits or SHA-1).`);
  add(
    'soon',
    'hygiene',
    keys(h.onServicePrincipal),
    `Review ${plural(keys(h.onServicePrincipal).length, 'credential')} stored on service principals: the app registration page does not show them, and a vendor app needs none in your tenant.`,
  );
  add('plan', 'hygiene', keys(h.expiringSoon), `Renew or retire ${plural(keys(h.expiringSoon).length, 'credential')} expiring soon.`);
  add('plan', 'hygiene', keys(h.shared), `Give each app its own certificate (${plural(keys(h.shared).length, 'shared credential')}).`);
  add('plan', 'hygiene', keys(h.longLived), `Shorten the lifetime of ${plural(keys(h.longLived).length, 'long-lived credential')} when renewing.`);
  const unused = p.exposure.filter((e) => e.parts.some((x) => x.factor === 'unused' && x.points > 0));
  add(
    'plan',
    'exposure',
    unused.map((e) => e.appId),
    `Review ${plural(unused.length, 'mailbox-capable app')} with no sign-ins this week; remove mailbox permissions nobody uses.`,
  );

  return out
    .map((r, i) => ({ r, i }))
    .sort((a, b) => PRIORITY[a.r.priority] - PRIORITY[b.r.priority] || a.i - b.i)
    .map(({ r }) => r);
}
