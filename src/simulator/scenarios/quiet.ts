/**
 * "Fabrikam": the same shape as the Mimecast scenario with nothing to find. The vendor signs in only
 * from its ranges, credentials are recent enough, short-lived, strong, unshared and used, mailbox
 * access uses certificates, and the last credential change is older than any lookback.
 */
import type { NamedLocation, Scenario, ServicePrincipal, SignIn } from '../scenario.js';
import { DAY_IN_MS, assignment, certificateCredential, daysFrom, guid, ownApp, secretCredential, signIn } from './builders.js';
import { makeScenarioCertificate } from './certificates.js';
import { ROLE, microsoftServicePrincipals } from './microsoft.js';
import { FABRIKAM_OFFICE, MIMECAST_RANGES, addressIn } from './networks.js';
import { vendor, vendorSignIns } from './vendor.js';

/** Fictitious Fabrikam tenant id. */
export const FABRIKAM_TENANT_ID = 'cccccccc-0000-4000-8000-000000000003';
const DOMAIN = 'fabrikam.onmicrosoft.com';

function namedLocations(now: Date): NamedLocation[] {
  const at = daysFrom(now, -200).toISOString();
  return [
    {
      '@odata.type': '#microsoft.graph.ipNamedLocation',
      id: guid('fabrikam/nl/hq'),
      displayName: 'Fabrikam HQ',
      createdDateTime: at,
      modifiedDateTime: at,
      isTrusted: true,
      ipRanges: [{ '@odata.type': '#microsoft.graph.iPv4CidrRange', cidrAddress: FABRIKAM_OFFICE.cidr }],
    },
    {
      '@odata.type': '#microsoft.graph.ipNamedLocation',
      id: guid('fabrikam/nl/mimecast'),
      displayName: 'Mimecast',
      createdDateTime: at,
      modifiedDateTime: at,
      isTrusted: false,
      ipRanges: MIMECAST_RANGES.map((n) => ({ '@odata.type': '#microsoft.graph.iPv4CidrRange' as const, cidrAddress: n.cidr })),
    },
  ];
}

function dailySignIns(
  sp: ServicePrincipal,
  resource: ServicePrincipal,
  credential: { type: SignIn['clientCredentialType']; keyId: string; thumbprint: string },
  now: Date,
): SignIn[] {
  return Array.from({ length: 7 }, (_, d) =>
    signIn({
      label: `fabrikam/${sp.displayName}/${d}`,
      at: new Date(now.getTime() - (7 - d) * DAY_IN_MS + 6 * 3_600_000),
      sp,
      resource,
      tenantId: FABRIKAM_TENANT_ID,
      ip: addressIn(FABRIKAM_OFFICE, 30 + d),
      asn: FABRIKAM_OFFICE.asn,
      location: FABRIKAM_OFFICE.location,
      credential,
    }),
  );
}

/** The quiet scenario, relative to `now`. */
export function quietScenario(now: Date): Scenario {
  const ms = microsoftServicePrincipals(FABRIKAM_TENANT_ID);
  const { exchange, graph } = ms;
  const v = vendor(FABRIKAM_TENANT_ID, now);
  const archiverCert = makeScenarioCertificate({
    commonName: 'Fabrikam Mail Archiver',
    notBefore: daysFrom(now, -60),
    notAfter: daysFrom(now, 300),
    keyLabel: 'fabrikam/archiver',
  });
  const mk = (displayName: string, extra: Partial<Parameters<typeof ownApp>[0]>) =>
    ownApp({ tenantId: FABRIKAM_TENANT_ID, displayName, created: daysFrom(now, -400), domain: DOMAIN, ...extra });
  const archiver = mk('Fabrikam Mail Archiver', {
    keyCredentials: [certificateCredential('fabrikam/archiver', archiverCert, 'CN=Fabrikam Mail Archiver')],
    graphRoles: [ROLE.mailRead],
  });
  const directory = mk('Fabrikam Directory Sync', {
    passwordCredentials: [secretCredential('fabrikam/directory', 'sync', daysFrom(now, -60), daysFrom(now, 90), 'Fd2')],
    graphRoles: [ROLE.userReadAll],
  });

  return {
    tenant: { id: FABRIKAM_TENANT_ID, displayName: 'Fabrikam', defaultDomain: DOMAIN, hasPremiumLicense: true },
    applications: [archiver.app, directory.app],
    servicePrincipals: [...ms.all, v.sp, archiver.sp, directory.sp],
    appRoleAssignments: [
      assignment(v.sp, exchange, ROLE.fullAccessAsApp, daysFrom(now, -400)),
      assignment(archiver.sp, graph, ROLE.mailRead, daysFrom(now, -400)),
      assignment(directory.sp, graph, ROLE.userReadAll, daysFrom(now, -400)),
    ],
    oauth2PermissionGrants: [],
    namedLocations: namedLocations(now),
    signIns: [
      ...vendorSignIns(v, exchange, FABRIKAM_TENANT_ID, now, 7),
      ...dailySignIns(
        archiver.sp,
        graph,
        { type: 'certificate', keyId: archiver.app.keyCredentials[0]?.keyId ?? '', thumbprint: archiverCert.thumbprintSha1 },
        now,
      ),
      ...dailySignIns(directory.sp, graph, { type: 'clientSecret', keyId: directory.app.passwordCredentials[0]?.keyId ?? '', thumbprint: '' }, now),
    ],
    directoryAudits: [],
  };
}
