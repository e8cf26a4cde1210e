/**
 * "Contoso" during a Mimecast-style incident: the vendor's certificate signs in from a foreign
 * hosting network, next to a tenant full of credential-hygiene findings. README.md lists each fact
 * and the finding it exists to trigger.
 */
import type { NamedLocation, OAuth2PermissionGrant, Scenario, ServicePrincipal, SignIn } from '../scenario.js';
import { CERTIFICATES_AND_SECRETS_ACTIVITY, appRoleAssignmentProperties, audit, consentProperties, keyDescription } from './audits.js';
import { DAY_IN_MS, assignment, certificateCredential, daysFrom, guid, ownApp, secretCredential, servicePrincipalFor, signIn } from './builders.js';
import { makeScenarioCertificate } from './certificates.js';
import { mailItemsAccessed } from './mail-audit.js';
import { EXCHANGE_PROTOCOL_ROLE, ROLE, microsoftServicePrincipals } from './microsoft.js';
import { CONTOSO_OFFICE, CONTOSO_OFFICE_V6, FOREIGN_HOSTING, MIMECAST_RANGES, addressIn } from './networks.js';
import { VENDOR_APP_ID, VENDOR_KEY_ID, vendor, vendorSignIns } from './vendor.js';

/** Fictitious Contoso tenant id. */
export const CONTOSO_TENANT_ID = 'aaaaaaaa-0000-4000-8000-000000000001';
/** Fictitious tenant of the third-party "Partner Connector". */
export const PARTNER_TENANT_ID = 'eeeeeeee-0000-4000-8000-000000000005';
const DOMAIN = 'contoso.onmicrosoft.com';
const ADMIN = { id: guid('contoso/user/admin'), userPrincipalName: 'admin@contoso.onmicrosoft.com' };

function namedLocations(now: Date): NamedLocation[] {
  const at = daysFrom(now, -90).toISOString();
  return [
    {
      '@odata.type': '#microsoft.graph.ipNamedLocation',
      id: guid('contoso/nl/hq'),
      displayName: 'Contoso HQ',
      createdDateTime: at,
      modifiedDateTime: at,
      isTrusted: true,
      ipRanges: [
        { '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: CONTOSO_OFFICE.cidr },
        { '@odata.type': '#microsoft.graph.iPv6CidrRange', cidrAddress: CONTOSO_OFFICE_V6 },
      ],
    },
    // Host bits set on purpose (195.130.217.17/24), as in Microsoft's own example.
    {
      '@odata.type': '#microsoft.graph.ipNamedLocation',
      id: guid('contoso/nl/mimecast-eu'),
      displayName: 'Mimecast EU',
      createdDateTime: at,
      modifiedDateTime: at,
      isTrusted: false,
      ipRanges: ['195.130.217.17/24', '91.220.42.0/24', '146.101.78.0/24'].map((cidrAddress) => ({
        '@odata.type': '#microsoft.graph.iPv4CidrRange' as const,
        cidrAddress,
      })),
    },
  ];
}

/** The foreign sign-ins: twelve in the last day, nine succeeded, three failed, two over IPv6. */
function attackerSignIns(sp: ServicePrincipal, exchange: ServicePrincipal, thumbprint: string, now: Date): SignIn[] {
  return Array.from({ length: 12 }, (_, i) => {
    const network = (i % 6 === 5 ? FOREIGN_HOSTING[1] : FOREIGN_HOSTING[0]) ?? CONTOSO_OFFICE;
    const failed = i === 0 || i === 1 || i === 7;
    return signIn({
      label: `contoso/attacker/${i}`,
      at: new Date(now.getTime() - DAY_IN_MS + 3_600_000 + i * 7_000_000),
      sp,
      resource: exchange,
      tenantId: CONTOSO_TENANT_ID,
      ip: addressIn(network, 40 + i),
      asn: network.asn,
      location: network.location,
      credential: { type: i % 4 === 3 ? 'clientAssertion' : 'certificate', keyId: VENDOR_KEY_ID, thumbprint },
      ...(failed ? { errorCode: 700027, failureReason: 'Client assertion contains an invalid signature.' } : {}),
    });
  });
}

/** Daily sign-ins of an own app from the Contoso office for the last 7 days. */
function officeSignIns(
  sp: ServicePrincipal,
  resource: ServicePrincipal,
  credential: { type: SignIn['clientCredentialType']; keyId: string; thumbprint: string },
  now: Date,
): SignIn[] {
  return Array.from({ length: 7 }, (_, d) =>
    signIn({
      label: `contoso/${sp.displayName}/${d}`,
      at: new Date(now.getTime() - (7 - d) * DAY_IN_MS + 5 * 3_600_000),
      sp,
      resource,
      tenantId: CONTOSO_TENANT_ID,
      ip: addressIn(CONTOSO_OFFICE, 20 + d),
      asn: CONTOSO_OFFICE.asn,
      location: CONTOSO_OFFICE.location,
      credential,
    }),
  );
}

/**
 * What the stolen certificate read (docs/blast-radius.md): from the two foreign addresses the
 * attacker signed in from, the vendor app read these mailboxes — six over IPv4, two over IPv6, one
 * of them from both — while the vendor's own journaling from its range and another app's reads
 * from the office must not count.
 */
export const MIMECAST_BLAST_RADIUS = Object.freeze({
  ips: [addressIn(FOREIGN_HOSTING[0] ?? CONTOSO_OFFICE, 42), addressIn(FOREIGN_HOSTING[1] ?? CONTOSO_OFFICE, 45)],
  ipv4Mailboxes: ['ceo', 'cfo', 'finance', 'legal', 'hr', 'it-admin'].map((u) => `${u}@${DOMAIN}`),
  ipv6Mailboxes: ['cfo', 'payroll'].map((u) => `${u}@${DOMAIN}`),
  /** Bind records name this many messages each, in order. */
  messagesPerRecord: 3,
});

function mailAccess(now: Date, archiverAppId: string): ReturnType<typeof mailItemsAccessed>[] {
  const [v4 = '', v6 = ''] = MIMECAST_BLAST_RADIUS.ips;
  const start = now.getTime() - DAY_IN_MS + 2 * 3_600_000;
  const at = (minutes: number) => new Date(start + minutes * 60_000);
  const foreign = [
    ...MIMECAST_BLAST_RADIUS.ipv4Mailboxes.map((mailbox, i) =>
      mailItemsAccessed({
        label: `contoso/blast/v4/${i}`,
        at: at(10 + i * 7),
        tenantId: CONTOSO_TENANT_ID,
        appId: VENDOR_APP_ID,
        ip: v4,
        mailbox,
        access: 'Bind',
        messages: 3,
      }),
    ),
    // The CEO's sent items taken whole: a sync record names the folder, not the messages.
    mailItemsAccessed({
      label: 'contoso/blast/v4/sync',
      at: at(70),
      tenantId: CONTOSO_TENANT_ID,
      appId: VENDOR_APP_ID,
      ip: v4,
      mailbox: `ceo@${DOMAIN}`,
      access: 'Sync',
      folder: '\\Sent Items',
    }),
    ...MIMECAST_BLAST_RADIUS.ipv6Mailboxes.map((mailbox, i) =>
      mailItemsAccessed({
        label: `contoso/blast/v6/${i}`,
        at: at(200 + i * 11),
        tenantId: CONTOSO_TENANT_ID,
        appId: VENDOR_APP_ID,
        ip: v6,
        mailbox,
        access: 'Bind',
        messages: 3,
      }),
    ),
  ];
  const journaling = Array.from({ length: 20 }, (_, i) =>
    mailItemsAccessed({
      label: `contoso/journal/${i}`,
      at: at(i * 30),
      tenantId: CONTOSO_TENANT_ID,
      appId: VENDOR_APP_ID,
      ip: addressIn(MIMECAST_RANGES[0] ?? CONTOSO_OFFICE, 10),
      mailbox: `user${i}@${DOMAIN}`,
      access: 'Bind',
      messages: 2,
    }),
  );
  const archiving = Array.from({ length: 5 }, (_, i) =>
    mailItemsAccessed({
      label: `contoso/archiver/${i}`,
      at: at(i * 40),
      tenantId: CONTOSO_TENANT_ID,
      appId: archiverAppId,
      ip: addressIn(CONTOSO_OFFICE, 20),
      mailbox: `user${i}@${DOMAIN}`,
      access: 'Sync',
    }),
  );
  return [...foreign, ...journaling, ...archiving];
}

/** The Mimecast-like incident scenario, relative to `now`. */
export function mimecastScenario(now: Date): Scenario {
  const ms = microsoftServicePrincipals(CONTOSO_TENANT_ID);
  const { exchange, graph } = ms;
  const v = vendor(CONTOSO_TENANT_ID, now);
  const cert = (name: string, fromDays: number, toDays: number, extra: { keySize?: number; hash?: 'sha1' } = {}) =>
    makeScenarioCertificate({ commonName: name, notBefore: daysFrom(now, fromDays), notAfter: daysFrom(now, toDays), keyLabel: `contoso/${name}`, ...extra });

  const hrCert = cert('Contoso HR Sync', -100, 265);
  const backupCert = cert('Contoso Backup', -300, 795, { keySize: 1024, hash: 'sha1' });
  const sharedCert = cert('Contoso Shared Automation', -60, 305);
  const expiringCert = cert('Contoso Helpdesk Connector', -345, 20);
  const pollerCert = cert('Contoso Support Inbox Poller', -30, 150);
  const hrSecretAdded = daysFrom(now, -2);
  const hrSecret = secretCredential('contoso/hr/automation', 'automation', hrSecretAdded, daysFrom(hrSecretAdded, 90), 'Hr7');

  const mk = (displayName: string, createdDaysAgo: number, extra: Partial<Parameters<typeof ownApp>[0]>) =>
    ownApp({ tenantId: CONTOSO_TENANT_ID, displayName, created: daysFrom(now, -createdDaysAgo), domain: DOMAIN, ...extra });
  const hr = mk('Contoso HR Sync', 400, {
    keyCredentials: [certificateCredential('contoso/hr', hrCert, 'CN=Contoso HR Sync')],
    passwordCredentials: [hrSecret],
    graphRoles: [ROLE.userReadAll],
  });
  const archiver = mk('Contoso Mail Archiver', 500, {
    passwordCredentials: [secretCredential('contoso/archiver', 'archiver', daysFrom(now, -170), daysFrom(now, 10), 'Arc')],
    graphRoles: [ROLE.mailRead],
  });
  const legacy = mk('Legacy Reporting', 900, {
    passwordCredentials: [secretCredential('contoso/legacy', 'reporting', daysFrom(now, -760), daysFrom(now, -30), 'Leg')],
  });
  const backup = mk('Contoso Backup', 700, {
    keyCredentials: [certificateCredential('contoso/backup', backupCert, 'CN=Contoso Backup')],
    graphRoles: [ROLE.mailReadWrite],
  });
  const intranet = mk('Contoso Intranet Sync', 300, {
    keyCredentials: [certificateCredential('contoso/intranet', sharedCert, 'CN=Contoso Shared Automation')],
  });
  const reports = mk('Contoso Reports Export', 250, { keyCredentials: [certificateCredential('contoso/reports', sharedCert, 'CN=Contoso Shared Automation')] });
  const helpdesk = mk('Contoso Helpdesk Connector', 350, {
    keyCredentials: [certificateCredential('contoso/helpdesk', expiringCert, 'CN=Contoso Helpdesk Connector')],
  });
  const addIn = mk('Contoso Legacy Outlook Add-in', 1200, {});
  // Reads one support mailbox over IMAP and nothing else: mailbox-capable through IMAP alone.
  const poller = mk('Contoso Support Inbox Poller', 200, {
    keyCredentials: [certificateCredential('contoso/poller', pollerCert, 'CN=Contoso Support Inbox Poller')],
    exchangeRoles: [EXCHANGE_PROTOCOL_ROLE.imapAccessAsApp],
  });
  const own = [hr, archiver, legacy, backup, intranet, reports, helpdesk, addIn, poller];

  const partner: ServicePrincipal = {
    ...servicePrincipalFor(CONTOSO_TENANT_ID, guid('partner/connector/appId'), 'Partner Connector', PARTNER_TENANT_ID, 'AzureADMultipleOrgs'),
    passwordCredentials: [secretCredential('contoso/partner-sp', 'sp-secret', daysFrom(now, -5), daysFrom(now, 360), 'Pc1')],
  };

  const grant: OAuth2PermissionGrant = {
    id: guid('contoso/grant/ews'),
    clientId: addIn.sp.id,
    consentType: 'AllPrincipals',
    principalId: null,
    resourceId: exchange.id,
    scope: 'EWS.AccessAsUser.All',
  };
  const hrCredential = { type: 'certificate' as const, keyId: hr.app.keyCredentials[0]?.keyId ?? '', thumbprint: hrCert.thumbprintSha1 };
  const archiverCredential = { type: 'clientSecret' as const, keyId: archiver.app.passwordCredentials[0]?.keyId ?? '', thumbprint: '' };

  return {
    tenant: { id: CONTOSO_TENANT_ID, displayName: 'Contoso', defaultDomain: DOMAIN, hasPremiumLicense: true },
    applications: own.map((o) => o.app),
    servicePrincipals: [...ms.all, v.sp, ...own.map((o) => o.sp), partner],
    appRoleAssignments: [
      assignment(v.sp, exchange, ROLE.fullAccessAsApp, daysFrom(now, -400)),
      assignment(hr.sp, graph, ROLE.userReadAll, daysFrom(now, -400)),
      assignment(archiver.sp, graph, ROLE.mailRead, daysFrom(now, -500)),
      assignment(backup.sp, graph, ROLE.mailReadWrite, daysFrom(now, -4)),
      assignment(partner, graph, ROLE.userReadAll, daysFrom(now, -30)),
      assignment(poller.sp, exchange, EXCHANGE_PROTOCOL_ROLE.imapAccessAsApp, daysFrom(now, -200)),
    ],
    oauth2PermissionGrants: [grant],
    namedLocations: namedLocations(now),
    signIns: [
      ...vendorSignIns(v, exchange, CONTOSO_TENANT_ID, now, 7),
      ...attackerSignIns(v.sp, exchange, v.certificate.thumbprintSha1, now),
      ...officeSignIns(hr.sp, graph, hrCredential, now),
      ...officeSignIns(archiver.sp, graph, archiverCredential, now),
    ],
    auditLog: { records: mailAccess(now, archiver.app.appId) },
    directoryAudits: [
      audit({
        label: 'contoso/hr-secret',
        at: hrSecretAdded,
        activity: CERTIFICATES_AND_SECRETS_ACTIVITY,
        operationType: 'Update',
        actor: ADMIN,
        target: { id: hr.app.id, displayName: hr.app.displayName, type: 'Application' },
        modifiedProperties: keyDescription(hrSecret.keyId, 'Password', 'automation'),
      }),
      audit({
        label: 'contoso/partner-sp-secret',
        at: daysFrom(now, -5),
        activity: 'Add service principal credentials',
        operationType: 'Update',
        actor: ADMIN,
        target: { id: partner.id, displayName: partner.displayName, type: 'ServicePrincipal' },
        modifiedProperties: keyDescription(partner.passwordCredentials[0]?.keyId ?? '', 'Password', 'sp-secret'),
      }),
      audit({
        label: 'contoso/consent-addin',
        at: daysFrom(now, -6),
        activity: 'Consent to application',
        operationType: 'Assign',
        actor: ADMIN,
        target: { id: addIn.sp.id, displayName: addIn.sp.displayName, type: 'ServicePrincipal' },
        modifiedProperties: consentProperties(grant),
      }),
      audit({
        label: 'contoso/backup-mail',
        at: daysFrom(now, -4),
        activity: 'Add app role assignment to service principal',
        operationType: 'Assign',
        actor: ADMIN,
        target: { id: graph.id, displayName: graph.displayName, type: 'ServicePrincipal' },
        modifiedProperties: appRoleAssignmentProperties(
          { id: ROLE.mailReadWrite, value: 'Mail.ReadWrite' },
          { id: backup.sp.id, appId: backup.sp.appId, displayName: backup.sp.displayName },
        ),
      }),
    ],
  };
}
