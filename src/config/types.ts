/**
 * The resolved configuration: what the rest of credwatch codes against. Unlike the file, it carries
 * certificate and key material instead of paths, absolute paths, filled-in endpoints, and secrets
 * wrapped in {@link Secret} so they never print. Every object is deeply frozen.
 */
import type { CloudName } from './clouds.js';
import type { Severity } from '../contract.js';
import type { LOG_LEVELS } from './schema.js';
import type { Secret } from './secret.js';

/** Certificate credential: MSAL signs a client assertion (PS256, `x5t#S256`) with the private key. */
export interface CertificateAuthConfig {
  readonly mode: 'certificate';
  readonly clientId: string;
  /** The certificate's PEM block(s) only; any key that shared its file is left out. */
  readonly certificatePem: string;
  /** The private key as unencrypted PKCS#8 PEM. */
  readonly privateKeyPem: Secret;
  /** SHA-256 thumbprint of the certificate: 64 upper-case hex digits, no colons. */
  readonly thumbprintSha256: string;
}

/** Client secret credential. */
export interface SecretAuthConfig {
  readonly mode: 'secret';
  readonly clientId: string;
  readonly clientSecret: Secret;
}

/** Managed identity (Azure Functions / App Service); `clientId` selects a user-assigned identity. */
export interface ManagedIdentityAuthConfig {
  readonly mode: 'managedIdentity';
  readonly clientId?: string;
}

/** How credwatch signs in to one tenant. */
export type AuthConfig = CertificateAuthConfig | SecretAuthConfig | ManagedIdentityAuthConfig;

/** The hosts one tenant's tokens and Graph calls go to. */
export interface TenantEndpoints {
  /** https origin of the identity platform, no trailing slash; the tenant id is appended by the graph layer. */
  readonly authorityHost: string;
  /** https base URL of Microsoft Graph without a version segment, no trailing slash. */
  readonly graphBaseUrl: string;
  /** Extra CA (PEM) to trust for these endpoints, e.g. the simulator's. */
  readonly caCertificatePem?: string;
}

/** One monitored tenant. */
export interface TenantConfig {
  readonly name: string;
  readonly tenantId: string;
  readonly cloud: CloudName;
  readonly endpoints: TenantEndpoints;
  readonly auth: AuthConfig;
}

/** A source accepted although it allows more of the address space than its limits (docs/allowlists.md). */
export interface BroadRangesAcceptance {
  readonly acceptBroadRanges?: { readonly reason: string };
}

/** One source of a vendor's allowed ranges; paths are absolute. Fetched and parsed by the networks module. */
export type RangeSource = BroadRangesAcceptance &
  (
    | { readonly type: 'cidrs'; readonly cidrs: readonly string[] }
    | { readonly type: 'file'; readonly path: string }
    | {
        readonly type: 'url';
        readonly url: string;
        readonly format: 'list' | 'json';
        readonly jsonPath?: string;
        /** For the whole fetch: lookups, redirects and body. */
        readonly timeoutInMs: number;
        readonly staleAfterInDays: number;
        /** Follow redirects to another https host; unset: only redirects within the URL's own origin. */
        readonly allowRedirects?: boolean;
        /** Connect to loopback, private and link-local addresses (a feed on your own network, tests). */
        readonly allowPrivateNetwork?: boolean;
        /** Unset: DEFAULT_MAX_BODY_IN_BYTES (16 MiB). */
        readonly maxBodyInBytes?: number;
      }
    | { readonly type: 'namedLocation'; readonly displayName: string }
  );

/** How much of the address space one allowlist source may allow; unset limits keep their defaults (docs/allowlists.md). */
export interface BroadRangeLimits {
  readonly shortestIPv4Prefix?: number;
  readonly shortestIPv6Prefix?: number;
  readonly maxIPv4Percent?: number;
  readonly maxIPv6Percent?: number;
  /** Total IPv6 a vendor's sources may allow, in /32s (a registry's smallest provider allocation). */
  readonly maxIPv6Slash32s?: number;
  /** Required when a limit is looser than the default. */
  readonly reason?: string;
}

/** A vendor, the apps that identify it, and where they may sign in from. */
export interface VendorConfig {
  readonly name: string;
  readonly appIds: readonly string[];
  readonly ownerTenantIds: readonly string[];
  readonly allowedRanges: readonly RangeSource[];
  readonly broadRangeLimits?: BroadRangeLimits;
}

/** Options every channel has. */
export interface ChannelCommon {
  /** Unique; the type when the file gives none. */
  readonly name: string;
  readonly minSeverity: Severity;
  /** Tenant names whose alerts go here; undefined means every tenant. */
  readonly tenants?: readonly string[];
  /** More alerts than this due at once go out as one digest. */
  readonly digestThreshold: number;
}

/** One alert channel, with its URL and signing key read from the environment. */
export type ChannelConfig =
  | (ChannelCommon & { readonly type: 'stdout' })
  | (ChannelCommon & { readonly type: 'jsonl'; readonly path: string })
  | (ChannelCommon & {
      readonly type: 'teams';
      readonly urlEnv: string;
      readonly url: Secret;
      readonly allowInsecureTestEndpoint: boolean;
    })
  | (ChannelCommon & {
      readonly type: 'email';
      readonly fromMailbox: string;
      readonly to: readonly string[];
      /** Name of the tenant whose Graph sends the mail (the first tenant when the file gives none). */
      readonly senderTenant: string;
    })
  | (ChannelCommon & {
      readonly type: 'webhook';
      readonly urlEnv: string;
      readonly url: Secret;
      readonly secretEnv: string;
      readonly secret: Secret;
      readonly allowInsecureTestEndpoint: boolean;
    });

/** The state store. For Azure Table, exactly one of `connectionString` and `accountUrl` is set. */
export type StateConfig =
  | { readonly type: 'sqlite'; readonly path: string }
  | { readonly type: 'memory' }
  | {
      readonly type: 'azureTable';
      readonly tablePrefix: string;
      readonly accountUrl?: string;
      /** User-assigned managed identity for accountUrl; system-assigned when undefined. */
      readonly clientId?: string;
      readonly connectionEnv?: string;
      readonly connectionString?: Secret;
    };

/** Cron expressions for `credwatch serve`, read in `timeZone`. */
export interface SchedulesConfig {
  readonly scan: string;
  readonly report: string;
  readonly refreshAllowlists: string;
  readonly timeZone: string;
}

/** How sign-in and audit logs are read. */
export interface CollectionConfig {
  readonly overlapInMinutes: number;
  readonly settleInMinutes: number;
  readonly backfillInDays: number;
  /** A scan's reading deadline (sign-ins stop at it; the rest of a backlog waits for the next scans). */
  readonly maxRunMinutes: number;
}

/** Thresholds of the posture findings. */
export interface PostureConfig {
  readonly expiringWithinDays: number;
  readonly certificateMaxLifetimeInDays: number;
  readonly secretMaxLifetimeInDays: number;
  readonly unusedAfterDays: number;
}

/** Tuning of the detections. */
export interface DetectionConfig {
  readonly learningPeriodInDays: number;
  readonly credentialUseWindowInMinutes: number;
  readonly groupingWindowInHours: number;
  readonly renotifyAfterInHours: number;
}

/** An accepted case; `expires` is the end of its last day (UTC). */
export interface SuppressionConfig {
  readonly rule: string;
  readonly appId?: string;
  readonly network?: string;
  readonly credentialKeyId?: string;
  readonly reason: string;
  readonly owner: string;
  readonly expires: Date;
}

/** The whole resolved configuration. */
export interface Config {
  /** Where it came from (absolute), when loaded from a file. */
  readonly configPath?: string;
  /** Directory relative paths were resolved against (the config file's directory). */
  readonly baseDir: string;
  readonly tenants: readonly TenantConfig[];
  readonly vendors: readonly VendorConfig[];
  readonly channels: readonly ChannelConfig[];
  readonly state: StateConfig;
  readonly schedules: SchedulesConfig;
  readonly collection: CollectionConfig;
  readonly posture: PostureConfig;
  readonly detection: DetectionConfig;
  readonly suppressions: readonly SuppressionConfig[];
  readonly logging: { readonly level: (typeof LOG_LEVELS)[number] };
}
