/**
 * Node turns certificate checks off for every TLS connection of the process when
 * NODE_TLS_REJECT_UNAUTHORIZED is '0' (https://nodejs.org/api/cli.html#node_tls_reject_unauthorizedvalue):
 * a leftover from a test shell would let anyone in the network path read credwatch's tokens and
 * forge what Graph answers. credwatch refuses to run then, unless the operator said, explicitly and
 * for this run, that they know (the CLI flag, or the Function app setting below).
 */
import { CredwatchError } from '../errors.js';

/** The variable Node reads. */
export const TLS_ENV = 'NODE_TLS_REJECT_UNAUTHORIZED';
/** The Function app setting that accepts it anyway (`true`); not in the Bicep template on purpose. */
export const ALLOW_INSECURE_TLS_SETTING = 'CREDWATCH_ALLOW_INSECURE_TLS';
/** The CLI flag that accepts it anyway. */
export const ALLOW_INSECURE_TLS_FLAG = '--insecure-tls-i-know';

/** Whether Node's certificate checks are off in `env` (only the exact value '0' does that). */
export function tlsChecksDisabled(env: NodeJS.ProcessEnv): boolean {
  return env[TLS_ENV] === '0';
}

/**
 * Throws TLS_VERIFICATION_DISABLED when certificate checks are off and `allowed` is false. When
 * they are off and allowed, returns the warning to log; undefined when they are on.
 *
 * @param howToAllow how this entry point accepts it, for the message (`pass --insecure-tls-i-know`).
 */
export function checkTlsEnvironment(env: NodeJS.ProcessEnv, options: { allowed: boolean; howToAllow: string }): string | undefined {
  if (!tlsChecksDisabled(env)) return undefined;
  const risk = `${TLS_ENV}=0 is set in the environment: Node then accepts any certificate on every TLS connection, so credwatch's tokens, the Graph data it reads and the alerts it sends could be read or forged by anyone in the network path`;
  if (options.allowed) return `${risk}. Certificate checks are OFF for this run, as accepted.`;
  throw new CredwatchError(
    'TLS_VERIFICATION_DISABLED',
    `${risk}; credwatch refuses to run. Unset ${TLS_ENV} (to trust a private CA, set endpoints.caCertificatePath or NODE_EXTRA_CA_CERTS), or, for a throwaway test only, ${options.howToAllow}.`,
    { details: { variable: TLS_ENV } },
  );
}

/** The Function app's allowance: the app setting set to `true`. */
export function insecureTlsAllowedBySetting(env: NodeJS.ProcessEnv): boolean {
  return env[ALLOW_INSECURE_TLS_SETTING]?.trim().toLowerCase() === 'true';
}
