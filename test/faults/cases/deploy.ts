import type { FaultArea } from '../case.js';

export const deployFaults: FaultArea = {
  title: 'Deployment template',
  intro: 'The Bicep template read as text against Microsoft’s Flex Consumption samples: what must hold so a broken monitor pages someone.',
  cases: [],
};
