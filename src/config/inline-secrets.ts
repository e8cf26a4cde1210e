/**
 * Finds secrets written into the file itself. A config file gets committed, copied into tickets and
 * pasted into chats, so credwatch refuses to read secrets from it at all and says where each one must
 * go instead. This scan runs on the raw JSON, before the schema, so a secret is caught even inside an
 * object the schema cannot otherwise make sense of (a missing `mode`, say).
 */
import type { PathSegments, ProblemList } from './problems.js';

const NEVER_IN_FILE = 'secrets are never read from the file';
const CLIENT_SECRET = `${NEVER_IN_FILE}; put it in an environment variable and name it in clientSecretEnv, or in a file named by clientSecretPath`;
const PRIVATE_KEY = `${NEVER_IN_FILE}; put the key in a PEM file named by privateKeyPath, or in an environment variable named by privateKeyEnv`;
const CHANNEL_SECRET = `${NEVER_IN_FILE}; put it in an environment variable and name it in secretEnv`;
const CHANNEL_URL = `${NEVER_IN_FILE}, and a Teams or webhook URL carries its own access token; put the URL in an environment variable and name it in urlEnv`;
const CONNECTION = `${NEVER_IN_FILE}; put the connection string in an environment variable and name it in connectionEnv (default AzureWebJobsStorage), or set accountUrl to use a managed identity`;
const GENERIC = `${NEVER_IN_FILE}; put it in an environment variable and name it in the matching *Env option`;

/** Keys (lower-cased) that only ever hold a secret, with where the secret belongs. */
const SECRET_KEYS: Readonly<Record<string, (inChannel: boolean) => string>> = {
  clientsecret: () => CLIENT_SECRET,
  password: () => CLIENT_SECRET,
  secret: (inChannel) => (inChannel ? CHANNEL_SECRET : CLIENT_SECRET),
  privatekey: () => PRIVATE_KEY,
  privatekeypem: () => PRIVATE_KEY,
  key: () => PRIVATE_KEY,
  connectionstring: () => CONNECTION,
  accountkey: () => CONNECTION,
  webhookurl: () => CHANNEL_URL,
  token: () => GENERIC,
  accesstoken: () => GENERIC,
  apikey: () => GENERIC,
};

const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
const PEM_MESSAGE = `looks like a PEM private key; ${PRIVATE_KEY}`;

/**
 * Whether `value` at `path` is a channel that posts to a URL (`channels[i]` of type teams or webhook,
 * or of no known type yet), where a `url` key can only be the secret URL itself.
 */
function isUrlChannel(path: PathSegments, value: object): boolean {
  if (path.length !== 2 || path[0] !== 'channels' || typeof path[1] !== 'number') return false;
  const type = (value as Record<string, unknown>)['type'];
  return type !== 'stdout' && type !== 'jsonl' && type !== 'email';
}

/** Reports every inline secret in `raw`: secret-named keys anywhere, and PEM private keys in any string. */
export function scanInlineSecrets(raw: unknown, problems: ProblemList): void {
  visit(raw, [], problems);
}

function visit(value: unknown, path: PathSegments, problems: ProblemList): void {
  if (typeof value === 'string') {
    if (PEM_PRIVATE_KEY.test(value) && !problems.has(path)) problems.add(path, PEM_MESSAGE);
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => visit(item, [...path, i], problems));
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    const childPath = [...path, key];
    const inChannel = path[0] === 'channels';
    // Own keys only: `constructor` must not find Object.prototype's.
    const guidance =
      (Object.hasOwn(SECRET_KEYS, key.toLowerCase()) ? SECRET_KEYS[key.toLowerCase()] : undefined) ??
      (key === 'url' && isUrlChannel(path, value) ? () => CHANNEL_URL : undefined);
    if (guidance !== undefined) {
      problems.add(childPath, guidance(inChannel));
      continue;
    }
    visit(child, childPath, problems);
  }
}
