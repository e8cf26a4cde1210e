/**
 * The beta `signIn` resource as Graph returns it: every property of
 * https://learn.microsoft.com/graph/api/resources/signin?view=graph-rest-beta (read from
 * microsoft-graph-docs-contrib `api-reference/beta/resources/signin.md`, ms.date 2024-11-14, plus
 * `agent`, which the live page lists since). Graph sends every property on every record, null or
 * empty when it does not apply, and `$select` is refused on this endpoint, so a client always
 * receives the whole shape; test/simulator/fixtures/signin-beta-properties.json is the checked list.
 */

/** `signInStatus`: errorCode 0 is success. */
export interface SignInStatus {
  errorCode: number;
  failureReason: string | null;
  additionalDetails: string | null;
}

/** `geoCoordinates` of a sign-in location (all null when Entra could not place the address). */
export interface GeoCoordinates {
  altitude: number | null;
  latitude: number | null;
  longitude: number | null;
}

/** `signInLocation`. */
export interface SignInLocation {
  city: string;
  state: string;
  countryOrRegion: string;
  geoCoordinates: GeoCoordinates;
}

/** `deviceDetail`: blank strings and false for a sign-in without a device (every workload sign-in). */
export interface DeviceDetail {
  deviceId: string;
  displayName: string;
  operatingSystem: string;
  browser: string;
  isCompliant: boolean;
  isManaged: boolean;
  trustType: string;
}

/** `managedIdentity` (the `managedServiceIdentity` property); msiType `none` outside managed identities. */
export interface ManagedServiceIdentity {
  msiType: 'none' | 'userAssigned' | 'systemAssigned' | 'unknownFutureValue';
  associatedResourceId: string | null;
  federatedTokenId: string | null;
  federatedTokenIssuer: string | null;
}

/** `privateLinkDetails`. */
export interface PrivateLinkDetails {
  policyId: string;
  policyName: string;
  policyTenantId: string;
  resourceId: string;
}

/** `microsoft.graph.agentic.agentSignIn` (the `agent` property). */
export interface AgentSignIn {
  agentType: string;
  agentSubjectType: string;
  agentSubjectParentId: string | null;
}

/** A collection property whose items this simulator never fills (always `[]` for its sign-ins). */
type Items = readonly Readonly<Record<string, unknown>>[];

/** Beta `signIn`: every documented property, in the order Microsoft's list examples write them. */
export interface SignIn {
  id: string;
  createdDateTime: string;
  userDisplayName: string;
  userPrincipalName: string;
  userId: string;
  appId: string;
  appDisplayName: string;
  ipAddress: string;
  clientAppUsed: string;
  userAgent: string;
  correlationId: string;
  conditionalAccessStatus: string;
  originalRequestId: string;
  authenticationProtocol: string;
  incomingTokenType: string;
  isInteractive: boolean;
  homeTenantId: string;
  homeTenantName: string;
  isTenantRestricted: boolean;
  tokenIssuerName: string;
  tokenIssuerType: string;
  processingTimeInMilliseconds: number;
  riskDetail: string;
  riskLevelAggregated: string;
  riskLevelDuringSignIn: string;
  riskState: string;
  riskEventTypes_v2: readonly string[];
  resourceDisplayName: string;
  resourceId: string;
  resourceTenantId: string;
  resourceServicePrincipalId: string;
  authenticationMethodsUsed: readonly string[];
  authenticationRequirement: string;
  uniqueTokenIdentifier: string;
  signInIdentifier: string;
  signInIdentifierType: string | null;
  signInEventTypes: readonly string[];
  servicePrincipalId: string;
  servicePrincipalName: string;
  userType: string;
  flaggedForReview: boolean;
  autonomousSystemNumber: number | null;
  crossTenantAccessType: string;
  clientCredentialType: 'none' | 'clientSecret' | 'clientAssertion' | 'federatedIdentityCredential' | 'managedIdentity' | 'certificate' | 'unknownFutureValue';
  servicePrincipalCredentialKeyId: string;
  servicePrincipalCredentialThumbprint: string;
  federatedCredentialId: string;
  azureResourceId: string;
  sessionId: string;
  globalSecureAccessIpAddress: string;
  isThroughGlobalSecureAccess: boolean;
  ipAddressFromResourceProvider: string | null;
  originalTransferMethod: string;
  appTokenProtectionStatus: string;
  signInTokenProtectionStatus: string;
  status: SignInStatus;
  deviceDetail: Readonly<DeviceDetail>;
  location: SignInLocation;
  managedServiceIdentity: Readonly<ManagedServiceIdentity>;
  privateLinkDetails: Readonly<PrivateLinkDetails>;
  agent: Readonly<AgentSignIn>;
  authenticationAppDeviceDetails: Readonly<Record<string, unknown>> | null;
  mfaDetail: Readonly<Record<string, unknown>> | null;
  appliedConditionalAccessPolicies: Items;
  appliedEventListeners: Items;
  authenticationAppPolicyEvaluationDetails: Items;
  authenticationContextClassReferences: Items;
  authenticationDetails: Items;
  authenticationProcessingDetails: Items;
  authenticationRequirementPolicies: Items;
  conditionalAccessAudiences: Items;
  networkLocationDetails: Items;
  sessionLifetimePolicies: Items;
}
