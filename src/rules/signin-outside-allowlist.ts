/**
 * The match shared by `signin-cert-outside-allowlist` and `signin-secret-outside-allowlist`: the
 * Mimecast pattern itself, a vendor credential used from a network that is not the vendor's.
 */
import type { Finding, SignInEvent } from '../events.js';
import { NO_FINDINGS } from './define.js';
import { credentialLabel, describeOrigin, hasMailboxWideAccess, mailboxReach } from './facts.js';
import { signInFinding } from './findings.js';
import { lower, type RuleContext } from './types.js';

/** Findings for a sign-in whose credential kind the calling rule has already checked. */
export function matchOutsideAllowlist(ruleId: string, kind: 'certificate' | 'secret', event: SignInEvent, context: RuleContext): readonly Finding[] {
  const app = context.app(event.appId);
  const allowlist = context.allowlist(app, event.appId);
  // 'none' is signin-new-network's territory. 'unknown' (source unreachable, never fetched) is
  // reported by the scan as a health problem: firing here would alert on every sign-in, staying
  // quiet without that report would look clean.
  if (allowlist.status !== 'ok') return NO_FINDINGS;
  const ip = event.ipAddress;
  if (ip !== undefined) {
    const matched = allowlist.match(ip);
    if (matched !== undefined && matched.length > 0) return NO_FINDINGS;
  }
  // A missing or unparseable address still fires: nothing shows the sign-in came from the vendor.
  const base = hasMailboxWideAccess(app) ? 'critical' : 'high';
  const severity = event.success ? base : lower(base);
  const label = app?.ownership === 'thirdParty' ? `Vendor ${credentialLabel(kind).toLowerCase()}` : credentialLabel(kind);
  const outcome = event.success ? '' : `; the sign-in failed${event.errorCode ? ` (AADSTS${event.errorCode})` : ''}`;
  return [
    signInFinding(ruleId, severity, event, app, context, {
      summary: `${label} for "${app?.displayName ?? event.appDisplayName ?? event.appId}" used from ${describeOrigin(event)}, outside ${allowlist.vendor}'s allowed ranges${outcome}`,
      allowlist: allowlist.sample,
      details: {
        credentialType: event.credentialType,
        mailboxReach: mailboxReach(app),
        vendor: allowlist.vendor,
        allowlistStale: allowlist.stale,
        ipParsed: ip !== undefined,
        rawIpAddress: event.rawIpAddress ?? null,
        note: ip === undefined ? 'The sign-in log has no parseable IP address, so nothing shows it came from the vendor\'s ranges.' : null,
        errorCode: event.errorCode ?? null,
        failureReason: event.failureReason ?? null,
      },
    }),
  ];
}
