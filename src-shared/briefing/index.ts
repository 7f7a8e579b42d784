// The weekly risk briefing's analytics core: rollups maintained on ingest and the
// analyses that read them. Pure: no I/O, no clocks, no DOM; the console and server wire it up.

export * from './weeks';
export * from './dims';
export * from './count-cube';
export * from './rollups';
export * from './ingest';
export * from './capacity';
export * from './stats';
export * from './rising';
export * from './performance';
export * from './normalise';
export * from './explain';
export * from './briefing';
export { RollupFormatError } from './bytes';
export * from './slice';
