/**
 * Service-principal sign-in records in the whole beta `signIn` shape. One object literal is the
 * template: it lists every property, at the value a workload sign-in carries where nothing varies
 * (Microsoft's list examples show user sign-ins, so the identity fields that do not apply are `""`
 * the way `servicePrincipalId` is `""` in those user examples). The synthetic generator builds
 * millions of these on demand, so a record is that one literal (V8 clones its shape; spreading a
 * frozen 73-property template measured ~2 µs a record slower) and the nested objects that never
 * change are shared, frozen references.
 */
import type { ServicePrincipal, SignIn, SignInLocation } from '../scenario.js';
import type { AgentSignIn, DeviceDetail, GeoCoordinates, ManagedServiceIdentity, PrivateLinkDetails, SignInStatus } from '../signin-record.js';
import { guid } from './guid.js';

const NONE: readonly never[] = Object.freeze([]);
const NO_COORDINATES: Readonly<GeoCoordinates> = Object.freeze({ altitude: null, latitude: null, longitude: null });
const SERVICE_PRINCIPAL_EVENT: readonly string[] = Object.freeze(['servicePrincipal']);
const SUCCESS: Readonly<SignInStatus> = Object.freeze({ errorCode: 0, failureReason: null, additionalDetails: null });
const NO_DEVICE: Readonly<DeviceDetail> = Object.freeze({
  deviceId: '',
  displayName: '',
  operatingSystem: '',
  browser: '',
  isCompliant: false,
  isManaged: false,
  trustType: '',
});
const NO_MANAGED_IDENTITY: Readonly<ManagedServiceIdentity> = Object.freeze({
  msiType: 'none',
  associatedResourceId: null,
  federatedTokenId: null,
  federatedTokenIssuer: null,
});
const NO_PRIVATE_LINK: Readonly<PrivateLinkDetails> = Object.freeze({ policyId: '', policyName: '', policyTenantId: '', resourceId: '' });
const NOT_AGENTIC: Readonly<AgentSignIn> = Object.freeze({ agentType: 'notAgentic', agentSubjectType: 'notAgentic', agentSubjectParentId: null });

/** What varies between service-principal sign-ins. */
export interface SignInSpec {
  label: string;
  at: Date;
  sp: ServicePrincipal;
  resource: ServicePrincipal;
  tenantId: string;
  ip: string;
  asn: number;
  location: { city: string; state: string; countryOrRegion: string };
  credential: { type: SignIn['clientCredentialType']; keyId: string; thumbprint: string };
  /** 0 = success. */
  errorCode?: number;
  failureReason?: string;
}

/** A beta service-principal sign-in record with every documented property. */
export function signIn(spec: SignInSpec): SignIn {
  const id = guid(`signin/${spec.label}`);
  const location: SignInLocation = { ...spec.location, geoCoordinates: NO_COORDINATES };
  const status = spec.errorCode ? { errorCode: spec.errorCode, failureReason: spec.failureReason ?? 'Other.', additionalDetails: null } : SUCCESS;
  return {
    id,
    createdDateTime: spec.at.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    userDisplayName: '',
    userPrincipalName: '',
    userId: '',
    appId: spec.sp.appId,
    appDisplayName: spec.sp.displayName,
    ipAddress: spec.ip,
    clientAppUsed: '',
    userAgent: '',
    correlationId: guid(`correlation/${spec.label}`),
    conditionalAccessStatus: 'notApplied',
    originalRequestId: id,
    authenticationProtocol: 'none',
    incomingTokenType: 'none',
    isInteractive: false,
    homeTenantId: spec.tenantId,
    homeTenantName: '',
    isTenantRestricted: false,
    tokenIssuerName: '',
    tokenIssuerType: 'AzureAD',
    processingTimeInMilliseconds: 40 + (parseInt(id.slice(0, 2), 16) % 200),
    riskDetail: 'none',
    riskLevelAggregated: 'none',
    riskLevelDuringSignIn: 'none',
    riskState: 'none',
    riskEventTypes_v2: NONE,
    resourceDisplayName: spec.resource.displayName,
    resourceId: spec.resource.appId,
    resourceTenantId: spec.tenantId,
    resourceServicePrincipalId: spec.resource.id,
    authenticationMethodsUsed: NONE,
    authenticationRequirement: 'singleFactorAuthentication',
    uniqueTokenIdentifier: Buffer.from(id).toString('base64url').slice(0, 22),
    signInIdentifier: '',
    // An enum with no member for "not a user"; null rather than inventing one.
    signInIdentifierType: null,
    signInEventTypes: SERVICE_PRINCIPAL_EVENT,
    servicePrincipalId: spec.sp.id,
    servicePrincipalName: spec.sp.displayName,
    userType: 'member',
    flaggedForReview: false,
    autonomousSystemNumber: spec.asn,
    crossTenantAccessType: 'none',
    clientCredentialType: spec.credential.type,
    servicePrincipalCredentialKeyId: spec.credential.keyId,
    servicePrincipalCredentialThumbprint: spec.credential.thumbprint,
    federatedCredentialId: '',
    azureResourceId: '',
    sessionId: '',
    globalSecureAccessIpAddress: '',
    isThroughGlobalSecureAccess: false,
    // The page: "This value is often null."
    ipAddressFromResourceProvider: null,
    originalTransferMethod: 'none',
    appTokenProtectionStatus: 'none',
    signInTokenProtectionStatus: 'none',
    status,
    deviceDetail: NO_DEVICE,
    location,
    managedServiceIdentity: NO_MANAGED_IDENTITY,
    privateLinkDetails: NO_PRIVATE_LINK,
    agent: NOT_AGENTIC,
    authenticationAppDeviceDetails: null,
    // Deprecated; the older list example writes it as null.
    mfaDetail: null,
    appliedConditionalAccessPolicies: NONE,
    appliedEventListeners: NONE,
    authenticationAppPolicyEvaluationDetails: NONE,
    authenticationContextClassReferences: NONE,
    authenticationDetails: NONE,
    authenticationProcessingDetails: NONE,
    authenticationRequirementPolicies: NONE,
    // Typed String on the page but described as "a list"; an empty list is what a workload sign-in has.
    conditionalAccessAudiences: NONE,
    networkLocationDetails: NONE,
    sessionLifetimePolicies: NONE,
  };
}
