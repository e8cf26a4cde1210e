/**
 * The tenant simulator: an HTTPS server on 127.0.0.1 that speaks enough of the Microsoft identity
 * platform and Microsoft Graph for the real MSAL Node and Graph client to run against it unchanged.
 * Tests, the demo and benchmarks use it; production code never imports it.
 */
import { FaultEngine, type FaultOptions } from './faults.js';
import type { GraphContext } from './graph/context.js';
import { handleGraph } from './graph/router.js';
import { Throttles } from './graph/throttle.js';
import { graphError, type SimRequest, type SimResponse } from './http.js';
import { handleLogin } from './login.js';
import { handleVendorFeed } from './vendor-feed.js';
import { handleManagedIdentity, newManagedIdentities } from './managed-identity.js';
import { SkipTokens } from './odata.js';
import { registerManagedIdentities, registerOwnApp } from './own-app.js';
import { generateCertificate } from './pki.js';
import type { DirectoryAudit, Scenario, SignIn } from './scenario.js';
import { closeServer, listenHttp, listenHttps } from './server.js';
import { SimulatorState, type RecordedRequest, type SentMail } from './state.js';
import { TokenIssuer } from './tokens.js';

export type { FaultOptions, FaultRule } from './faults.js';
export type { RecordedRequest, SentMail } from './state.js';
export type * from './scenario.js';
export { generateCertificate, type GenerateCertificateOptions, type GeneratedCertificate } from './pki.js';
export { mimecastScenario } from './scenarios/mimecast.js';
export { quietScenario } from './scenarios/quiet.js';
export { syntheticScenario, type SyntheticScenarioOptions } from './scenarios/synthetic.js';

/** Application roles credwatch needs (docs/permissions): what its tokens carry by default. */
export const CREDWATCH_ROLES: readonly string[] = Object.freeze([
  'Application.Read.All',
  'Directory.Read.All',
  'AuditLog.Read.All',
  'Policy.Read.All',
  'Mail.Send',
]);

/** Options for {@link startSimulator}. */
export interface StartSimulatorOptions {
  /** The tenant's data. */
  scenario: Scenario;
  /** Injected clock for data, tokens and skip tokens (default `() => new Date()`). */
  now?: () => Date;
  /** HTTPS port (default 0: random). */
  port?: number;
  faults?: FaultOptions;
  /** App roles put in tokens for credwatch's own identities (default {@link CREDWATCH_ROLES}). */
  grantedRoles?: readonly string[];
  /** Access token lifetime (default 3599). */
  tokenLifetimeInSeconds?: number;
  /**
   * Graph's documented rate limits (default true): reports 5 requests per 10 s per app, 150
   * `$select=keyCredentials` reads per minute, named locations 1 per second (graph/throttle.ts).
   * Benchmarks that measure credwatch rather than Graph's limits turn them off.
   */
  enforceThrottling?: boolean;
  /**
   * The clock the rate limits measure arrivals on, in ms (default: the wall clock). A test that runs
   * credwatch on a virtual clock — its rate limiter and Retry-After waits sleeping virtual time —
   * gives the same clock here, so Graph's limits hold on the time both sides agree on.
   */
  throttleClock?: () => number;
}

/** A running simulator. */
export interface RunningSimulator {
  /** `https://127.0.0.1:PORT`: serves both login and Graph. */
  url: string;
  /** Same as `url`. */
  authorityHost: string;
  /** Same as `url` (Graph paths are `/v1.0/…` and `/beta/…`). */
  graphBaseUrl: string;
  /** CA that signed the TLS certificate; trust it with a CA option, never by disabling checks. */
  caCertPem: string;
  tenantId: string;
  credwatchApp: { clientId: string; certificatePem: string; privateKeyPem: string; thumbprintSha256: string; clientSecret: string };
  managedIdentity: { endpoint: string; header: string; userAssignedClientId: string };
  /** Every request seen, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /** Bodies accepted by sendMail, with the mailbox addressed. */
  readonly sentMail: readonly SentMail[];
  setFaults(faults: FaultOptions): void;
  /** Bytes of `hugeBody` padding sent since the faults were last set. */
  faultBytesWritten(): number;
  /** Turns Graph's documented rate limits on or off from now on. */
  setEnforceThrottling(enabled: boolean): void;
  setGrantedRoles(roles: readonly string[]): void;
  /** Entra ID P1/P2 on or off. */
  setLicensed(hasPremium: boolean): void;
  /** Appends sign-ins (Graph beta shape) that show up from now on, whatever their timestamps: late records. */
  addSignIns(rows: readonly SignIn[]): void;
  /** Appends directory audit rows (Graph shape). */
  addDirectoryAudits(rows: readonly DirectoryAudit[]): void;
  close(): Promise<void>;
}

/** Copies the scenario's collections so a run never mutates the caller's data. */
function copyScenario(scenario: Scenario): Scenario {
  return {
    tenant: { ...scenario.tenant },
    applications: [...scenario.applications],
    servicePrincipals: [...scenario.servicePrincipals],
    appRoleAssignments: [...scenario.appRoleAssignments],
    oauth2PermissionGrants: [...scenario.oauth2PermissionGrants],
    namedLocations: [...scenario.namedLocations],
    signIns: Array.isArray(scenario.signIns) ? [...scenario.signIns] : scenario.signIns,
    directoryAudits: [...scenario.directoryAudits],
    ...(scenario.auditLog ? { auditLog: { ...scenario.auditLog, records: [...scenario.auditLog.records] } } : {}),
  };
}

/** Starts the HTTPS (login + Graph) and HTTP (managed identity) servers for one tenant. */
export async function startSimulator(options: StartSimulatorOptions): Promise<RunningSimulator> {
  const now = options.now ?? (() => new Date());
  const state = new SimulatorState(copyScenario(options.scenario), options.grantedRoles ?? CREDWATCH_ROLES);
  const faults = new FaultEngine(options.faults);
  const ca = await generateCertificate({ subject: 'CN=credwatch simulator CA', isCa: true, days: 7 });
  const tls = await generateCertificate({ subject: 'CN=127.0.0.1', issuer: ca, altNames: ['127.0.0.1', 'localhost'], days: 7 });
  const own = await registerOwnApp(state, now());
  const managed = registerManagedIdentities(state);
  const identities = newManagedIdentities(managed.systemAssigned, managed.userAssigned);
  const issuer = await TokenIssuer.create(state.tenantId, options.tokenLifetimeInSeconds ?? 3599);

  let baseUrl = '';
  const throttles = new Throttles(options.enforceThrottling ?? true, options.throttleClock);
  const graphContext: GraphContext = { baseUrl: '', state, now, skipTokens: new SkipTokens(now), throttles };
  const notFound = (request: SimRequest): SimResponse =>
    graphError(request, 404, 'UnknownError', `No simulator endpoint for ${request.method} ${request.url.pathname}.`, now());
  const https = await listenHttps(
    {
      state,
      faults,
      now,
      handler: async (request) =>
        (await handleLogin(request, { baseUrl, state, issuer, now })) ??
        (await handleGraph(request, graphContext, issuer)) ??
        handleVendorFeed(request) ??
        notFound(request),
    },
    { cert: tls.certificatePem, key: tls.privateKeyPem },
    options.port ?? 0,
  );
  baseUrl = https.url;
  graphContext.baseUrl = https.url;
  const msi = await listenHttp({
    state,
    faults: undefined,
    now,
    handler: (request) => handleManagedIdentity(request, identities, state, issuer, now, baseUrl),
  });

  return {
    url: https.url,
    authorityHost: https.url,
    graphBaseUrl: https.url,
    caCertPem: ca.certificatePem,
    tenantId: state.tenantId,
    credwatchApp: {
      clientId: own.clientId,
      certificatePem: own.certificate.certificatePem,
      privateKeyPem: own.certificate.privateKeyPem,
      thumbprintSha256: own.certificate.thumbprintSha256,
      clientSecret: own.clientSecret,
    },
    managedIdentity: { endpoint: `${msi.url}/msi/token`, header: identities.header, userAssignedClientId: identities.userAssigned.appId },
    get requests() {
      return state.requests;
    },
    get sentMail() {
      return state.sentMail;
    },
    setFaults: (next) => faults.set(next),
    faultBytesWritten: () => faults.bytesWritten,
    setEnforceThrottling: (enabled) => {
      throttles.enabled = enabled;
    },
    setGrantedRoles: (roles) => {
      state.grantedRoles = [...roles];
    },
    setLicensed: (hasPremium) => {
      state.licensed = hasPremium;
    },
    addSignIns: (rows) => state.addSignIns(rows),
    addDirectoryAudits: (rows) => {
      state.scenario.directoryAudits.push(...rows);
    },
    close: async () => {
      await Promise.all([closeServer(https.server), closeServer(msi.server)]);
    },
  };
}
