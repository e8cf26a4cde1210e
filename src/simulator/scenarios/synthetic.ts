/**
 * A large deterministic tenant for paging and benchmarks: up to hundreds of thousands of service
 * principals held in arrays, and millions of sign-ins generated on demand by index (ascending in
 * time), so their memory cost is nil and a time window is found by binary search.
 */
import type { Application, AppRoleAssignment, LazySignIns, Scenario, ServicePrincipal } from '../scenario.js';
import { DAY_IN_MS, assignment, guid, servicePrincipalFor, signIn } from './builders.js';
import { ROLE, microsoftServicePrincipals } from './microsoft.js';
import { FOREIGN_HOSTING, MIMECAST_RANGES, addressIn } from './networks.js';

/** Options for {@link syntheticScenario}. */
export interface SyntheticScenarioOptions {
  /** Total service principals, including four Microsoft first-party ones. */
  servicePrincipals: number;
  /** App registrations (the first ones of the non-Microsoft SPs; default a fifth of them). */
  applications?: number;
  /** Lazily generated sign-ins over the last 30 days (default 10,000). */
  signIns?: number;
  /** Seed for every random choice (default 1). */
  seed?: number;
  now: Date;
}

/** Fictitious synthetic tenant id. */
export const SYNTHETIC_TENANT_ID = 'dddddddd-0000-4000-8000-000000000004';
const GRAPH_ROLES = Object.values(ROLE).filter((id) => id !== ROLE.fullAccessAsApp && id !== ROLE.exchangeManageAsApp);

/** A stateless 32-bit hash of (seed, a, b) in [0, 1): deterministic choices without a stream. */
function rand(seed: number, a: number, b: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(a + 0x632be5ab, 0xc2b2ae35) ^ Math.imul(b + 0x1b873593, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return ((h ^ (h >>> 16)) >>> 0) / 4_294_967_296;
}

/** A fast deterministic GUID (no hashing library in the hot loop). */
function fastGuid(seed: number, kind: number, i: number): string {
  const hex = (n: number): string =>
    Math.floor(rand(seed, i, kind * 4 + n) * 4_294_967_296)
      .toString(16)
      .padStart(8, '0');
  const [a, b, c, d] = [hex(0), hex(1), hex(2), hex(3)];
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-a${c.slice(1, 4)}-${c.slice(4)}${d}`;
}

/** The synthetic tenant. */
export function syntheticScenario(options: SyntheticScenarioOptions): Scenario {
  const seed = options.seed ?? 1;
  const tenantId = SYNTHETIC_TENANT_ID;
  const ms = microsoftServicePrincipals(tenantId);
  const generated = Math.max(0, options.servicePrincipals - ms.all.length);
  const appCount = Math.min(generated, options.applications ?? Math.floor(generated / 5));
  const now = options.now;

  const applications: Application[] = [];
  const servicePrincipals: ServicePrincipal[] = [...ms.all];
  const assignments: AppRoleAssignment[] = [];
  const active: ServicePrincipal[] = [];
  for (let i = 0; i < generated; i += 1) {
    const own = i < appCount;
    const appId = fastGuid(seed, 1, i);
    const owner = own ? tenantId : `ffffffff-0000-4000-8000-${(Math.floor(rand(seed, i, 2) * 20) + 1).toString(16).padStart(12, '0')}`;
    const sp: ServicePrincipal = {
      ...servicePrincipalFor(tenantId, appId, `Synthetic App ${i}`, owner, own ? 'AzureADMyOrg' : 'AzureADMultipleOrgs'),
      id: fastGuid(seed, 2, i),
    };
    const created = new Date(now.getTime() - Math.floor(rand(seed, i, 3) * 1000) * DAY_IN_MS);
    const credentialRoll = rand(seed, i, 4);
    if (own) {
      const start = new Date(now.getTime() - Math.floor(rand(seed, i, 5) * 400) * DAY_IN_MS);
      const end = new Date(start.getTime() + (credentialRoll < 0.3 ? 365 : 180) * DAY_IN_MS);
      applications.push({
        id: fastGuid(seed, 3, i),
        appId,
        displayName: sp.displayName,
        createdDateTime: created.toISOString(),
        signInAudience: 'AzureADMyOrg',
        publisherDomain: 'synthetic.onmicrosoft.com',
        requiredResourceAccess: [],
        keyCredentials:
          credentialRoll < 0.3
            ? [
                {
                  keyId: fastGuid(seed, 4, i),
                  customKeyIdentifier: Buffer.from(fastGuid(seed, 5, i).replace(/-/g, '').slice(0, 40), 'hex').toString('base64'),
                  displayName: `CN=${sp.displayName}`,
                  startDateTime: start.toISOString(),
                  endDateTime: end.toISOString(),
                  type: 'AsymmetricX509Cert',
                  usage: 'Verify',
                  key: null,
                },
              ]
            : [],
        passwordCredentials:
          credentialRoll >= 0.3 && credentialRoll < 0.5
            ? [
                {
                  keyId: fastGuid(seed, 6, i),
                  customKeyIdentifier: null,
                  displayName: 'secret',
                  hint: 'Syn',
                  startDateTime: start.toISOString(),
                  endDateTime: end.toISOString(),
                  secretText: null,
                },
              ]
            : [],
      });
    } else if (credentialRoll < 0.01) {
      sp.passwordCredentials = [
        {
          keyId: fastGuid(seed, 6, i),
          customKeyIdentifier: null,
          displayName: 'sp-secret',
          hint: 'Sps',
          startDateTime: created.toISOString(),
          endDateTime: new Date(created.getTime() + 730 * DAY_IN_MS).toISOString(),
          secretText: null,
        },
      ];
    }
    const roleRoll = rand(seed, i, 7);
    if (roleRoll < 0.005) assignments.push(assignment(sp, ms.exchange, ROLE.fullAccessAsApp, created));
    if (roleRoll < 0.05) {
      const role = GRAPH_ROLES[Math.floor(rand(seed, i, 8) * GRAPH_ROLES.length)] ?? ROLE.userReadAll;
      assignments.push(assignment(sp, ms.graph, role, created));
      active.push(sp);
    }
    servicePrincipals.push(sp);
  }
  return {
    tenant: { id: tenantId, displayName: 'Synthetic', defaultDomain: 'synthetic.onmicrosoft.com', hasPremiumLicense: true },
    applications,
    servicePrincipals,
    appRoleAssignments: assignments,
    oauth2PermissionGrants: [],
    namedLocations: [],
    signIns: lazySignIns(seed, now, options.signIns ?? 10_000, active.length > 0 ? active : servicePrincipals, ms.graph),
    directoryAudits: [],
  };
}

function lazySignIns(seed: number, now: Date, count: number, pool: ServicePrincipal[], resource: ServicePrincipal): LazySignIns {
  const span = 30 * DAY_IN_MS;
  const start = now.getTime() - span - 60_000;
  // A service principal's key id and thumbprint never change: hash them once, not per record.
  const keys = new Map<string, { keyId: string; thumbprint: string }>();
  const keyOf = (sp: ServicePrincipal) => {
    let key = keys.get(sp.id);
    if (!key) {
      key = { keyId: guid(`synthetic/key/${sp.id}`), thumbprint: guid(`synthetic/tp/${sp.id}`).replace(/-/g, '').slice(0, 40).toUpperCase() };
      keys.set(sp.id, key);
    }
    return key;
  };
  return {
    count,
    at(index) {
      const sp = pool[Math.floor(rand(seed, index, 20) * pool.length)] ?? resource;
      const foreign = rand(seed, index, 21) < 0.02;
      const network = (foreign ? FOREIGN_HOSTING[0] : MIMECAST_RANGES[Math.floor(rand(seed, index, 22) * MIMECAST_RANGES.length)]) ?? MIMECAST_RANGES[0];
      const certificate = rand(seed, index, 23) < 0.7;
      return signIn({
        label: `synthetic/${seed}/${index}`,
        at: new Date(start + Math.floor((index * span) / Math.max(1, count))),
        sp,
        resource,
        tenantId: SYNTHETIC_TENANT_ID,
        ip: network ? addressIn(network, index) : '192.0.2.1',
        asn: network?.asn ?? 64502,
        location: network?.location ?? { city: '', state: '', countryOrRegion: '' },
        credential: { type: certificate ? 'certificate' : 'clientSecret', keyId: keyOf(sp).keyId, thumbprint: certificate ? keyOf(sp).thumbprint : '' },
        ...(rand(seed, index, 24) < 0.03 ? { errorCode: 7000215, failureReason: 'Invalid client secret provided.' } : {}),
      });
    },
  };
}
