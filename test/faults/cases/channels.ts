import type { FaultArea } from '../case.js';

export const channelFaults: FaultArea = {
  title: 'Hostile and failing receivers',
  intro: 'Teams, webhook and email receivers that redirect, echo secrets, fail, throttle or time out.',
  cases: [],
};
