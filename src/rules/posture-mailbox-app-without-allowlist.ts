import { defineRule, NO_FINDINGS } from './define.js';
import { mailboxPermissionNames } from './facts.js';
import { appFinding } from './findings.js';
import { postureEventId } from './posture.js';

const ID = 'posture-mailbox-app-without-allowlist';

/** Exactly the Mimecast customers' blind spot: nobody watched where the vendor's app came from. */
export const postureMailboxAppWithoutAllowlist = defineRule({
  id: ID,
  title: 'Mailbox-capable vendor app without an allowlist',
  description:
    'Detects a multi-tenant vendor app with mailbox permissions for which no allowed networks are configured, so a stolen vendor certificate used from elsewhere would go unnoticed (only the weaker new-network learning applies).',
  severity: 'medium',
  mitre: ['T1550.001', 'T1078.004', 'T1114.002'],
  falsePositives: [
    "Vendors that publish no ranges and sign in from a public cloud's whole address space (record that decision and rely on signin-new-network).",
  ],
  runbook: [
    'Ask the vendor for the IP ranges its service uses to call Microsoft 365 (many publish them, often as a JSON or text URL).',
    'Add the vendor to the credwatch configuration with those ranges (inline CIDRs, a file, an HTTPS URL or an Entra named location).',
    "Until then, review the app's sign-in networks in the weekly report and consider scoping its mailbox access with an Application Access Policy or RBAC for Applications.",
  ],
  status: 'stable',
  family: ID,
  finding: 'state',
  input: 'posture',
  match({ assessment }, context) {
    const { app } = assessment;
    if (!assessment.mailboxCapable || app.ownership !== 'thirdParty') return NO_FINDINGS;
    // 'unknown' is not 'none': the allowlist exists but could not be loaded, which the scan reports.
    if (context.allowlist(app, app.appId).status !== 'none') return NO_FINDINGS;
    const permissions = mailboxPermissionNames(app);
    return [
      appFinding(ID, 'medium', context, {
        appId: app.appId,
        appDisplayName: app.displayName,
        credentialKeyId: undefined,
        occurredAt: context.now,
        eventIds: [postureEventId(ID, app.appId, undefined)],
        summary: `"${app.displayName}" has mailbox access (${permissions}) and no allowlist: a stolen vendor certificate would go unnoticed`,
        details: { permissions, ownership: app.ownership, appOwnerOrganizationId: app.appOwnerOrganizationId ?? null },
      }),
    ];
  },
  cases: ({ allowlistFor, allowlistOk, DELEGATED_MAIL_READ, FULL_ACCESS_AS_APP, inventoryApp, MIMECAST_RANGES, ownApp, posture }) => {
    const mimecast = inventoryApp({ mailboxPermissions: [FULL_ACCESS_AS_APP] });
    return [
      { name: 'vendor app with full_access_as_app and no allowlist', input: posture(mimecast), expect: ['medium'] },
      {
        name: 'vendor app with delegated mail access and no allowlist',
        input: posture(inventoryApp({ mailboxPermissions: [DELEGATED_MAIL_READ] })),
        expect: ['medium'],
      },
      { name: 'allowlist configured', input: posture(mimecast), context: allowlistFor(allowlistOk(MIMECAST_RANGES, 'Mimecast')), expect: [] },
      {
        name: 'allowlist configured but unavailable',
        input: posture(mimecast),
        context: { allowlist: () => ({ status: 'unknown', vendor: 'Mimecast', reason: 'HTTP 503' }) },
        expect: [],
      },
      { name: 'own app', input: posture(ownApp({ mailboxPermissions: [FULL_ACCESS_AS_APP] })), expect: [] },
      { name: 'vendor app without mailbox access', input: posture(inventoryApp()), expect: [] },
    ];
  },
});
