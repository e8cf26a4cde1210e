import type { FaultArea } from './case.js';
import { allowlistFaults } from './cases/allowlists.js';
import { channelFaults } from './cases/channels.js';
import { cliFaults } from './cases/cli.js';
import { clockFaults } from './cases/clocks.js';
import { concurrencyFaults } from './cases/concurrency.js';
import { crashFaults } from './cases/crashes.js';
import { deployFaults } from './cases/deploy.js';
import { graphFaults } from './cases/graph.js';
import { scheduleFaults } from './cases/schedules.js';
import { sizeLimits } from './cases/limits.js';
import { stateFaults } from './cases/state.js';

/**
 * Every area of the reliability suite, in the order `docs/reliability.md` lists them. An area's
 * cases live in `cases/<area>.ts`, so each can grow on its own.
 */
export const FAULT_AREAS: readonly FaultArea[] = [
  graphFaults,
  sizeLimits,
  clockFaults,
  crashFaults,
  channelFaults,
  allowlistFaults,
  concurrencyFaults,
  stateFaults,
  cliFaults,
  scheduleFaults,
  deployFaults,
];
