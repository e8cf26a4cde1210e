import type { FaultArea } from '../case.js';

export const concurrencyFaults: FaultArea = {
  title: 'Two workers at once',
  intro: 'Two scans of one tenant at once: a CLI next to serve, two containers on one volume, two Function instances.',
  cases: [],
};
