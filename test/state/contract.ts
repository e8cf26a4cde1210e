/**
 * The behaviour every StateStore must have, as one suite any implementation runs: memory and
 * SQLite today, Azure Table Storage later. It speaks only through the `StateStore` interface, so
 * nothing here may assume a file, a clock other than real time, or a particular backend.
 */
import { afterEach, beforeEach, describe } from 'vitest';
import type { StateStore } from '../../src/state/types.js';
import { auditQueriesContract } from './contract-audit-queries.js';
import { claimsContract } from './contract-claims.js';
import { coverageContract } from './contract-coverage.js';
import { lifecycleContract } from './contract-lifecycle.js';
import { outboxContract } from './contract-outbox.js';
import { recordsContract } from './contract-records.js';
import { scansContract } from './contract-scans.js';
import { seenKeysContract } from './contract-seen-keys.js';
import { windowContract } from './contract-window.js';

/** What a store factory hands the suite. */
export interface StoreFixture {
  store: StateStore;
  /** Opens the same storage again (the suite closes `store` first); absent for stores that do not persist. */
  reopen?: () => Promise<StateStore>;
  /** Removes whatever the fixture created; must tolerate stores already closed. */
  cleanup: () => Promise<void>;
}

export type StoreFactory = () => Promise<StoreFixture>;

/** The fixture of the running test. */
export interface ContractContext {
  readonly store: StateStore;
  readonly fixture: StoreFixture;
}

/** Runs the whole contract against stores made by `factory`, a fresh, empty one per test. */
export function runStateStoreContract(name: string, factory: StoreFactory): void {
  describe(`${name} store contract`, () => {
    let current: StoreFixture | undefined;
    beforeEach(async () => {
      current = await factory();
    });
    afterEach(async () => {
      await current?.cleanup();
      current = undefined;
    });
    const ctx: ContractContext = {
      get fixture() {
        if (current === undefined) throw new Error('no store fixture outside a test');
        return current;
      },
      get store() {
        return this.fixture.store;
      },
    };
    windowContract(ctx);
    coverageContract(ctx);
    seenKeysContract(ctx);
    recordsContract(ctx);
    outboxContract(ctx);
    claimsContract(ctx);
    scansContract(ctx);
    lifecycleContract(ctx);
    auditQueriesContract(ctx);
  });
}
