import type { FaultArea } from '../case.js';

export const cliFaults: FaultArea = {
  title: 'Command line misuse',
  intro: 'Unknown flags and commands, bad durations and levels, JSON output, hostile config keys, missing files.',
  cases: [],
};
