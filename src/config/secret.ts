import { inspect } from 'node:util';
import { holdSecret } from '../redact.js';

const REDACTED = '[redacted]';

/**
 * A secret value (client secret, private key, webhook URL or signing key) held in memory.
 *
 * Why a wrapper rather than non-enumerable properties: a non-enumerable string silently disappears
 * when someone spreads the auth object (`{ ...auth }`) and still prints with `showHidden`, whereas a
 * wrapper keeps the value attached, makes every read an explicit, greppable `reveal()` call that the
 * type checker enforces, and prints as `[redacted]` through `JSON.stringify`, pino, `util.inspect`,
 * `console.log` and template strings alike.
 */
export class Secret {
  // A private field: invisible to Object.keys, JSON.stringify, util.inspect and structuredClone.
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
    // Masked in every log line, error and stored message from now on, not only where it is revealed.
    holdSecret(value);
  }

  /** The secret itself. Call it only where the value leaves for its one legitimate destination. */
  reveal(): string {
    return this.#value;
  }

  /** Serialises as `"[redacted]"` so logs and dumps never carry the value. */
  toJSON(): string {
    return REDACTED;
  }

  /** `[redacted]`, so string interpolation cannot leak the value either. */
  toString(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `Secret(${REDACTED})`;
  }
}
