import type { FaultArea } from '../case.js';

export const clockFaults: FaultArea = {
  title: 'Clocks and time windows',
  intro: 'A clock that ran ahead, late records, outages longer than the overlap or the retention.',
  cases: [],
};
