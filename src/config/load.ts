/**
 * Loading the configuration: the only place credwatch reads `process.env`. Reads the file, validates
 * it with the one schema, resolves secrets and files, and returns a deeply frozen {@link Config}, or
 * throws one CredwatchError listing every problem.
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { CredwatchError } from '../errors.js';
import { scanInlineSecrets } from './inline-secrets.js';
import { withoutForbiddenKeys } from './forbidden-keys.js';
import { jsonErrorLocation } from './json-location.js';
import { addZodIssues, configInvalidError, errorMap, ProblemList } from './problems.js';
import { collectResolutionProblems, resolveConfig } from './resolve.js';
import { configSchema } from './schema.js';
import type { Config } from './types.js';

/** The environment variable naming the config file when `--config` is not given. */
export const CONFIG_ENV = 'CREDWATCH_CONFIG';

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Path of the config file (from `--config`); wins over `CREDWATCH_CONFIG`. */
  path?: string;
  /** Environment for `CREDWATCH_CONFIG` and secret variables; `process.env` when omitted. */
  env?: NodeJS.ProcessEnv;
  /** Directory a relative config path starts from; `process.cwd()` when omitted. */
  cwd?: string;
}

/** Options of {@link parseConfig}. */
export interface ParseConfigOptions {
  /** Environment for secret variables; `process.env` when omitted. */
  env?: NodeJS.ProcessEnv;
  /** Directory relative paths in the config start from; `process.cwd()` when omitted. */
  baseDir?: string;
}

/**
 * Loads the config file named by `options.path` or `CREDWATCH_CONFIG`.
 *
 * @throws CredwatchError `CONFIG_NOT_FOUND` when no file is named or it cannot be read;
 *   `CONFIG_INVALID` with `details.problems` listing every problem otherwise.
 */
export async function loadConfig(options: LoadConfigOptions = {}): Promise<Config> {
  const env = options.env ?? process.env;
  const given = options.path ?? (env[CONFIG_ENV] === '' ? undefined : env[CONFIG_ENV]);
  if (given === undefined) {
    throw new CredwatchError(
      'CONFIG_NOT_FOUND',
      `No configuration file given: pass --config PATH or set ${CONFIG_ENV} (start from config/credwatch.example.json).`,
    );
  }
  const path = resolve(options.cwd ?? process.cwd(), given);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e: unknown) {
    const how = options.path === undefined ? `the path in ${CONFIG_ENV}` : 'the path given with --config';
    throw new CredwatchError('CONFIG_NOT_FOUND', `Cannot read the configuration file ${path}; check ${how}, or pass --config PATH / set ${CONFIG_ENV}.`, {
      cause: e,
      details: { path },
    });
  }
  return parseConfigText(text, path, env);
}

/**
 * Validates and resolves a config already parsed from JSON; file paths in it are relative to
 * `options.baseDir`.
 *
 * @throws CredwatchError `CONFIG_INVALID` with `details.problems` listing every problem.
 */
export function parseConfig(raw: unknown, options: ParseConfigOptions = {}): Promise<Config> {
  return validate(raw, { env: options.env ?? process.env, baseDir: resolve(options.baseDir ?? process.cwd()) });
}

async function parseConfigText(text: string, path: string, env: NodeJS.ProcessEnv): Promise<Config> {
  // Editors on Windows like to start UTF-8 files with a byte-order mark, which JSON.parse rejects.
  const json = text.replace(/^\uFEFF/, '');
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (e: unknown) {
    const where = jsonErrorLocation(json, e);
    const reason = e instanceof Error ? e.message : String(e);
    const message = `is not valid JSON${where === undefined ? '' : ` at ${where}`} (${reason}); comments and trailing commas are not allowed`;
    throw configInvalidError([{ path: '(root)', message }], path);
  }
  return validate(raw, { env, baseDir: dirname(path), configPath: path });
}

async function validate(raw: unknown, options: { env: NodeJS.ProcessEnv; baseDir: string; configPath?: string }): Promise<Config> {
  const problems = new ProblemList();
  // Before anything walks or copies the input: `__proto__` and friends never reach the schema.
  const clean = withoutForbiddenKeys(raw, problems);
  // Next, so a secret's explanation takes the place of a plain "unknown key" at the same path.
  scanInlineSecrets(clean, problems);
  const parsed = configSchema.safeParse(clean, { error: errorMap });
  const ctx = { env: options.env, baseDir: options.baseDir, problems };
  let config: Config | undefined;
  if (parsed.success) {
    config = await resolveConfig(parsed.data, ctx, options.configPath);
  } else {
    addZodIssues(problems, parsed.error.issues);
    await collectResolutionProblems(clean, ctx);
  }
  if (config === undefined || problems.size > 0) throw configInvalidError(problems.toArray(), options.configPath);
  return deepFreeze(config);
}

/** Freezes an object graph so no module can change the config another one relies on. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
