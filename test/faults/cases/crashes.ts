import type { FaultArea } from '../case.js';

export const crashFaults: FaultArea = {
  title: 'Crashes at every step',
  intro: 'The process killed between any two steps of a scan.',
  cases: [],
};
