// Periodic inspections: the service (wired explicitly in server.ts, `DispatchServer.inspections`)
// and the field simulator's rounds.
export { InspectionService } from './inspection-service';
export { InspectionRounds } from './inspection-rounds';
