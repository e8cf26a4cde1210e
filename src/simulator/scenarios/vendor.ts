/**
 * The simulated Mimecast: a multi-tenant vendor app holding EWS `full_access_as_app`. Its
 * certificate lives in the vendor's own tenant, so the customer's service principal shows no
 * keyCredentials, yet every sign-in names the certificate's key id and thumbprint.
 */
import type { ServicePrincipal, SignIn } from '../scenario.js';
import { DAY_IN_MS, daysFrom, guid, servicePrincipalFor, signIn } from './builders.js';
import { makeScenarioCertificate, type ScenarioCertificate } from './certificates.js';
import { MIMECAST_RANGES, addressIn } from './networks.js';

/** Fictitious tenant id of the vendor (all-`b` prefix marks it as made up). */
export const VENDOR_TENANT_ID = 'bbbbbbbb-0000-4000-8000-000000000002';
/** Fictitious app id of "Mimecast (simulated)". */
export const VENDOR_APP_ID = 'bbbbbbbb-0000-4000-8000-0000000000a1';
/** The vendor's certificate key id (as it appears in sign-ins). */
export const VENDOR_KEY_ID = guid('vendor/mimecast/ews-certificate');

/** The vendor's service principal and certificate in a customer tenant. */
export interface Vendor {
  sp: ServicePrincipal;
  certificate: ScenarioCertificate;
}

/** Creates the vendor's service principal for `tenantId`. */
export function vendor(tenantId: string, now: Date): Vendor {
  const sp = {
    ...servicePrincipalFor(tenantId, VENDOR_APP_ID, 'Mimecast (simulated)', VENDOR_TENANT_ID, 'AzureADMultipleOrgs'),
    publisherName: 'Mimecast (simulated)',
  };
  const certificate = makeScenarioCertificate({
    commonName: 'Mimecast (simulated) EWS',
    notBefore: daysFrom(now, -200),
    notAfter: daysFrom(now, 165),
    keyLabel: 'vendor/mimecast',
  });
  return { sp, certificate };
}

/**
 * The vendor's normal traffic: one EWS sign-in every two hours for `days` days, rotating over
 * Mimecast's ranges; every fifth is logged as `clientAssertion` (Microsoft's signIn page does not say
 * which of the two Entra logs for certificate auth, so both appear).
 */
export function vendorSignIns(v: Vendor, exchange: ServicePrincipal, tenantId: string, now: Date, days: number): SignIn[] {
  const out: SignIn[] = [];
  const count = days * 12;
  for (let i = 0; i < count; i += 1) {
    const network = MIMECAST_RANGES[i % MIMECAST_RANGES.length] ?? MIMECAST_RANGES[0];
    if (!network) break;
    out.push(
      signIn({
        label: `${tenantId}/vendor/${i}`,
        at: new Date(now.getTime() - days * DAY_IN_MS + i * (DAY_IN_MS / 12) + 17 * 60_000),
        sp: v.sp,
        resource: exchange,
        tenantId,
        ip: addressIn(network, 11 + i),
        asn: network.asn,
        location: network.location,
        credential: { type: i % 5 === 4 ? 'clientAssertion' : 'certificate', keyId: VENDOR_KEY_ID, thumbprint: v.certificate.thumbprintSha1 },
      }),
    );
  }
  return out;
}
