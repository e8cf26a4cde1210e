/**
 * Mutable state of one running simulator: the scenario's directory, the credentials the token
 * endpoint accepts, granted roles, licence, and what was recorded.
 */
import { X509Certificate, createHash, type KeyObject } from 'node:crypto';
import type { AuditLogScenario, LazySignIns, Scenario, ServicePrincipal, SignIn } from './scenario.js';

/** One request as the simulator saw it. */
export interface RecordedRequest {
  method: string;
  path: string;
  /** Raw query string without the leading `?` (empty when none). */
  query: string;
  status: number;
  at: Date;
  clientId?: string;
}

/** A message accepted by `sendMail`. */
export interface SentMail {
  /** The user id or UPN in the request path. */
  mailbox: string;
  /** The request body as parsed JSON. */
  body: unknown;
  at: Date;
}

/** An audit log query as created (https://learn.microsoft.com/graph/api/security-auditcoreroot-post-auditlogqueries). */
export interface SimAuditQuery {
  id: string;
  displayName: string | null;
  filterStartDateTime: string | null;
  filterEndDateTime: string | null;
  operationFilters: string[];
  ipAddressFilters: string[];
  recordTypeFilters: string[];
  userPrincipalNameFilters: string[];
  keywordFilter: string | null;
  createdAt: Date;
  /** How this query runs, fixed when it is created. */
  behaviour: Required<Omit<AuditLogScenario, 'records'>>;
}

/** A certificate the token endpoint accepts for an app, indexed by its thumbprints. */
export interface RegisteredKey {
  keyId: string;
  /** base64url SHA-1 of the DER (JWT `x5t`). */
  x5t: string;
  /** base64url SHA-256 of the DER (JWT `x5t#S256`). */
  x5tS256: string;
  publicKey: KeyObject;
  thumbprintSha1: string;
}

/** The state behind the simulator's handlers. */
export class SimulatorState {
  readonly requests: RecordedRequest[] = [];
  readonly sentMail: SentMail[] = [];
  /** Audit log queries created, oldest first. */
  readonly auditQueries: SimAuditQuery[] = [];
  /** Ascending by createdDateTime. */
  signIns: LazySignIns;
  grantedRoles: readonly string[];
  licensed: boolean;
  private readonly keysByAppId = new Map<string, RegisteredKey[]>();
  private readonly secretsByAppId = new Map<string, string[]>();
  private readonly spByAppId = new Map<string, ServicePrincipal>();

  constructor(
    readonly scenario: Scenario,
    grantedRoles: readonly string[],
  ) {
    this.grantedRoles = grantedRoles;
    this.licensed = scenario.tenant.hasPremiumLicense;
    this.signIns = ascending(scenario.signIns);
    for (const sp of scenario.servicePrincipals) this.spByAppId.set(sp.appId, sp);
    for (const app of scenario.applications) {
      for (const credential of app.keyCredentials) {
        if (credential.key && credential.type === 'AsymmetricX509Cert') this.registerCertificate(app.appId, credential.keyId, credential.key);
      }
    }
  }

  get tenantId(): string {
    return this.scenario.tenant.id;
  }

  /** Lets the token endpoint accept a certificate (base64 DER) for `appId`. */
  registerCertificate(appId: string, keyId: string, derBase64: string): void {
    const der = Buffer.from(derBase64, 'base64');
    const certificate = new X509Certificate(der);
    const sha1 = createHash('sha1').update(der).digest();
    const list = this.keysByAppId.get(appId) ?? [];
    list.push({
      keyId,
      x5t: sha1.toString('base64url'),
      x5tS256: createHash('sha256').update(der).digest('base64url'),
      publicKey: certificate.publicKey,
      thumbprintSha1: sha1.toString('hex').toUpperCase(),
    });
    this.keysByAppId.set(appId, list);
  }

  /** Lets the token endpoint accept a client secret for `appId`. */
  registerSecret(appId: string, secret: string): void {
    this.secretsByAppId.set(appId, [...(this.secretsByAppId.get(appId) ?? []), secret]);
  }

  /** Certificates registered for `appId`. */
  keysFor(appId: string): readonly RegisteredKey[] {
    return this.keysByAppId.get(appId) ?? [];
  }

  /** Secrets registered for `appId`. */
  secretsFor(appId: string): readonly string[] {
    return this.secretsByAppId.get(appId) ?? [];
  }

  /** Whether an app with this id exists in the tenant (registration or service principal). */
  knowsClient(appId: string): boolean {
    return this.spByAppId.has(appId) || this.scenario.applications.some((app) => app.appId === appId);
  }

  /** The service principal of `appId`, if the tenant has one. */
  servicePrincipalFor(appId: string): ServicePrincipal | undefined {
    return this.spByAppId.get(appId);
  }

  /**
   * Records that "arrive late": they appear in the log after a scan although their timestamps are
   * older, as Entra's sign-in log does. Only for scenarios whose sign-ins are an array.
   */
  addSignIns(rows: readonly SignIn[]): void {
    const current = Array.from({ length: this.signIns.count }, (_, i) => this.signIns.at(i));
    this.signIns = ascending([...current, ...rows]);
  }

  /** Adds a service principal after start (credwatch's own, managed identities). */
  addServicePrincipal(sp: ServicePrincipal): void {
    this.scenario.servicePrincipals.push(sp);
    this.spByAppId.set(sp.appId, sp);
  }
}

function ascending(signIns: SignIn[] | LazySignIns): LazySignIns {
  if (!Array.isArray(signIns)) return signIns;
  // Sorted once so windows map to index ranges by binary search, like the lazy generator.
  const sorted = [...signIns].sort((a, b) => Date.parse(a.createdDateTime) - Date.parse(b.createdDateTime));
  return { count: sorted.length, at: (index) => sorted[index] as SignIn };
}
