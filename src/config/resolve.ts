/**
 * Turns the validated file into the resolved {@link Config}: paths made absolute, endpoints filled in
 * from the cloud table, credential material and channel secrets read. When the schema failed, the
 * sections that are valid on their own are still resolved so their problems join the same list.
 */
import { checkAllowlistFiles } from './allowlist-files.js';
import { STORAGE_CONNECTION, storageFromEnv } from './storage.js';
import { resolve } from 'node:path';
import { CLOUD_ENDPOINTS } from './clouds.js';
import type { PathSegments } from './problems.js';
import type { ConfigFile } from './schema.js';
import { channelSchema, type ChannelFile } from './schema-channel.js';
import { channelUrlProblem } from './schema-parts.js';
import { stateSchema } from './schema.js';
import { tenantSchema, type TenantFile } from './schema-tenant.js';
import type { RangeSourceFile, VendorFile } from './schema-vendor.js';
import { parseCertificatePem, readConfigFile, readEnv, resolveAuth, type ResolveContext } from './secrets.js';
import { Secret } from './secret.js';
import type { ChannelConfig, Config, RangeSource, StateConfig, TenantConfig, TenantEndpoints, VendorConfig } from './types.js';

const withoutTrailingSlash = (url: string): string => url.replace(/\/+$/, '');

async function resolveTenant(tenant: TenantFile, path: PathSegments, ctx: ResolveContext): Promise<TenantConfig | undefined> {
  const cloud = CLOUD_ENDPOINTS[tenant.cloud];
  const overrides = tenant.endpoints;
  let caCertificatePem: string | undefined;
  if (overrides?.caCertificatePath !== undefined) {
    const caPath = [...path, 'endpoints', 'caCertificatePath'];
    const text = await readConfigFile(ctx, caPath, overrides.caCertificatePath);
    caCertificatePem = text === undefined ? undefined : parseCertificatePem(ctx, caPath, text)?.pem;
  }
  const endpoints: TenantEndpoints = {
    authorityHost: withoutTrailingSlash(overrides?.authorityHost ?? cloud.authorityHost),
    graphBaseUrl: withoutTrailingSlash(overrides?.graphBaseUrl ?? cloud.graphBaseUrl),
    ...(caCertificatePem === undefined ? {} : { caCertificatePem }),
  };
  const auth = await resolveAuth(tenant.auth, [...path, 'auth'], ctx);
  return auth === undefined ? undefined : { name: tenant.name, tenantId: tenant.tenantId, cloud: tenant.cloud, endpoints, auth };
}

function resolveRangeSource(source: RangeSourceFile, ctx: ResolveContext): RangeSource {
  // Spread, so per-source settings such as acceptBroadRanges survive the path resolution.
  return source.type === 'file' ? { ...source, path: resolve(ctx.baseDir, source.path) } : source;
}

function resolveVendor(vendor: VendorFile, ctx: ResolveContext): VendorConfig {
  return { ...vendor, allowedRanges: vendor.allowedRanges.map((source) => resolveRangeSource(source, ctx)) };
}

/** Reads a channel URL from the environment and checks it is https (or allowed loopback http). */
function channelUrl(ctx: ResolveContext, path: PathSegments, urlEnv: string, allowInsecure: boolean): Secret | undefined {
  const value = readEnv(ctx, [...path, 'urlEnv'], urlEnv);
  if (value === undefined) return undefined;
  const problem = channelUrlProblem(value.trim(), allowInsecure);
  if (problem !== undefined) {
    // The URL is a secret, so the message names the variable, never the value.
    ctx.problems.add([...path, 'urlEnv'], `the URL in environment variable ${urlEnv} ${problem}`);
    return undefined;
  }
  return new Secret(value.trim());
}

function resolveChannel(channel: ChannelFile, path: PathSegments, ctx: ResolveContext, firstTenant: string | undefined): ChannelConfig | undefined {
  const { name, minSeverity, tenants, digestThreshold } = channel;
  const common = { name: name ?? channel.type, minSeverity, digestThreshold, ...(tenants === undefined ? {} : { tenants }) };
  switch (channel.type) {
    case 'stdout':
      return { ...common, type: 'stdout' };
    case 'jsonl':
      return { ...common, type: 'jsonl', path: resolve(ctx.baseDir, channel.path) };
    case 'email': {
      const { fromMailbox, to } = channel;
      return { ...common, type: 'email', fromMailbox, to, senderTenant: channel.senderTenant ?? firstTenant ?? '' };
    }
    case 'teams': {
      const url = channelUrl(ctx, path, channel.urlEnv, channel.allowInsecureTestEndpoint);
      const { urlEnv, allowInsecureTestEndpoint } = channel;
      return url === undefined ? undefined : { ...common, type: 'teams', urlEnv, url, allowInsecureTestEndpoint };
    }
    case 'webhook': {
      const url = channelUrl(ctx, path, channel.urlEnv, channel.allowInsecureTestEndpoint);
      const secretValue = readEnv(ctx, [...path, 'secretEnv'], channel.secretEnv);
      if (url === undefined || secretValue === undefined) return undefined;
      const { urlEnv, secretEnv, allowInsecureTestEndpoint } = channel;
      return { ...common, type: 'webhook', urlEnv, url, secretEnv, secret: new Secret(secretValue), allowInsecureTestEndpoint };
    }
  }
}

function resolveState(state: ConfigFile['state'], ctx: ResolveContext): StateConfig | undefined {
  switch (state.type) {
    case 'sqlite':
      return { type: 'sqlite', path: resolve(ctx.baseDir, state.path) };
    case 'memory':
      return { type: 'memory' };
    case 'azureTable': {
      const { tablePrefix } = state;
      if (state.accountUrl !== undefined) {
        return { type: 'azureTable', tablePrefix, accountUrl: withoutTrailingSlash(state.accountUrl), ...(state.clientId ? { clientId: state.clientId } : {}) };
      }
      if (state.connectionEnv !== undefined) {
        const value = readEnv(ctx, ['state', 'connectionEnv'], state.connectionEnv);
        return value === undefined ? undefined : { type: 'azureTable', tablePrefix, connectionEnv: state.connectionEnv, connectionString: new Secret(value) };
      }
      // The Functions host's own storage setting is the natural default, in either of its forms.
      try {
        const access = storageFromEnv(ctx.env);
        return access.kind === 'connectionString'
          ? { type: 'azureTable', tablePrefix, connectionEnv: STORAGE_CONNECTION, connectionString: new Secret(access.connectionString) }
          : { type: 'azureTable', tablePrefix, accountUrl: access.serviceUri.table, ...(access.clientId ? { clientId: access.clientId } : {}) };
      } catch (e: unknown) {
        ctx.problems.add(['state'], e instanceof Error ? e.message : String(e));
        return undefined;
      }
    }
  }
}

/** Resolves a valid file; undefined when any resolution problem was added to `ctx.problems`. */
export async function resolveConfig(file: ConfigFile, ctx: ResolveContext, configPath?: string): Promise<Config | undefined> {
  const before = ctx.problems.size;
  const tenants = await Promise.all(file.tenants.map((t, i) => resolveTenant(t, ['tenants', i], ctx)));
  const firstTenant = file.tenants[0]?.name;
  const channels = file.channels.map((c, i) => resolveChannel(c, ['channels', i], ctx, firstTenant));
  const state = resolveState(file.state, ctx);
  await checkAllowlistFiles(file.vendors, ctx);
  if (ctx.problems.size > before || state === undefined) return undefined;
  return {
    ...(configPath === undefined ? {} : { configPath }),
    baseDir: ctx.baseDir,
    tenants: tenants.filter((t): t is TenantConfig => t !== undefined),
    vendors: file.vendors.map((v) => resolveVendor(v, ctx)),
    channels: channels.filter((c): c is ChannelConfig => c !== undefined),
    state,
    schedules: file.schedules,
    collection: file.collection,
    posture: file.posture,
    detection: file.detection,
    suppressions: file.suppressions.map((s) => ({ ...s, expires: new Date(`${s.expires}T23:59:59.999Z`) })),
    logging: file.logging,
  };
}

/**
 * After a schema failure: resolves each tenant, channel and the state block that is valid on its own,
 * only to collect their problems (an unset variable, a wrong key) alongside the schema's.
 */
export async function collectResolutionProblems(raw: unknown, ctx: ResolveContext): Promise<void> {
  if (raw === null || typeof raw !== 'object') return;
  const record = raw as Record<string, unknown>;
  const list = (key: string): unknown[] => (Array.isArray(record[key]) ? (record[key] as unknown[]) : []);
  await Promise.all(
    list('tenants').map(async (item, i) => {
      const parsed = tenantSchema.safeParse(item);
      if (parsed.success) await resolveTenant(parsed.data, ['tenants', i], ctx);
    }),
  );
  list('channels').forEach((item, i) => {
    const parsed = channelSchema.safeParse(item);
    if (parsed.success) resolveChannel(parsed.data, ['channels', i], ctx, undefined);
  });
  const state = stateSchema.safeParse(record['state']);
  if (state.success) resolveState(state.data, ctx);
  // Non-objects stay in place as empty vendors, so every path keeps its index.
  await checkAllowlistFiles(
    list('vendors').map((v) => (v !== null && typeof v === 'object' ? v : {})),
    ctx,
  );
}
