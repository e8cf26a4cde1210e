/**
 * An Azure SDK `TokenCredential` backed by msal-node's managed identity support, so the storage
 * clients (tables, queues, blobs) authenticate with the same identity and the same library as
 * Graph, without pulling in @azure/identity.
 */
import type { AccessToken, TokenCredential } from '@azure/core-auth';
import { ManagedIdentityApplication } from '@azure/msal-node';
import { msalSystemOptions, translateAuthErrors } from '../graph/auth.js';
import type { FetchLike } from '../graph/http.js';
import type { Logger } from '../logging.js';

/** MSAL's managed identity API takes a resource, the SDKs ask for `<resource>/.default` scopes. */
export function resourceOfScopes(scopes: string | readonly string[]): string {
  const first = (Array.isArray(scopes) ? scopes[0] : scopes) as string | undefined;
  if (!first) throw new TypeError('a token was requested without a scope');
  return first.replace(/\/\.default$/, '');
}

/**
 * One ManagedIdentityApplication per credential: its token cache serves every call until a token
 * nears expiry. `clientId` selects a user-assigned identity; omitted, the system-assigned one.
 */
export function managedIdentityCredential(options: { clientId?: string | undefined; fetch: FetchLike; logger: Logger }): TokenCredential {
  const app = new ManagedIdentityApplication({
    system: msalSystemOptions(options.fetch, options.logger),
    ...(options.clientId ? { managedIdentityIdParams: { userAssignedClientId: options.clientId } } : {}),
  });
  return {
    async getToken(scopes): Promise<AccessToken> {
      const result = await translateAuthErrors(() => app.acquireToken({ resource: resourceOfScopes(scopes) }));
      // MSAL refreshes proactively; the SDK pipeline also refreshes shortly before expiry.
      const expires = result.expiresOn?.getTime() ?? Date.now() + 5 * 60_000;
      return { token: result.accessToken, expiresOnTimestamp: expires, tokenType: 'Bearer' };
    },
  };
}
