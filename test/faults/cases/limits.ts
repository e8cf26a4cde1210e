import type { FaultArea } from '../case.js';

export const sizeLimits: FaultArea = {
  title: 'Unbounded sizes and endless work',
  intro: 'A Graph page, a receiver answer or a chain of pages that never ends must hit a cap with a clear error, never exhaust memory or hang.',
  cases: [],
};
