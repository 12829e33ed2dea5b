export { type BuildingBlocks, createBuildingBlocks } from './building-blocks.ts';
export { runScenario } from './scenario.ts';
export { createQuoteUpstream, type Quote, type QuoteUpstream } from './upstream.ts';
