// Public face of the campaigns module: proactive outreach with guardrails, the verifiable drawing.

export { isOptOut } from './detect-opt-out.ts';
export {
  canonicalEntrants,
  commitmentOf,
  DRAWING_ALGORITHM,
  entrantsHashOf,
  verifyDraw,
  winnerIndexOf,
} from './drawing-algorithm.ts';
export { startCampaigns } from './start-campaigns.ts';
