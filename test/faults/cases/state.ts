import type { FaultArea } from '../case.js';

export const stateFaults: FaultArea = {
  title: 'State files, file modes and TLS',
  intro: 'A state file that is empty, foreign or corrupt; files other users could read; certificate checks turned off from the environment.',
  cases: [],
};
