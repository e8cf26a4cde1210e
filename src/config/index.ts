/**
 * The configuration module: load once, validate with one schema, report every problem together,
 * return a frozen result. See docs/configuration.md for every option.
 */
export { CLOUD_ENDPOINTS, CLOUD_NAMES, type CloudEndpoints, type CloudName } from './clouds.js';
export { CONFIG_ENV, loadConfig, parseConfig, type LoadConfigOptions, type ParseConfigOptions } from './load.js';
export type { ConfigProblem } from './problems.js';
export { SEVERITIES, type Severity } from '../contract.js';
export { configJsonSchema, configSchema, LOG_LEVELS, type ConfigFile, type ConfigFileInput } from './schema.js';
export { Secret } from './secret.js';
export type {
  AuthConfig,
  CertificateAuthConfig,
  ChannelCommon,
  ChannelConfig,
  CollectionConfig,
  Config,
  ManagedIdentityAuthConfig,
  PostureConfig,
  RangeSource,
  SchedulesConfig,
  SecretAuthConfig,
  StateConfig,
  TenantConfig,
  TenantEndpoints,
  VendorConfig,
} from './types.js';
