// The weekly briefing: rollup status, a week's analysis, drill-down, hot spots and export
// (briefing.ts).
import { feature } from '../pipeline';

export const briefingHandlers = feature((s) => ({
  'briefing.status': (refresh) => s.briefing.status(refresh ?? false),
  'briefing.analyse': (week, scope) => s.briefing.analyse(week, scope),
  'briefing.drill': (filter, limit) => s.briefing.drillFromServer(filter, limit),
  'briefing.hotSpots': (week, scope, majorCode) => s.briefing.hotSpots(week, scope, majorCode),
  'briefing.export': (kind, week, scope, locale) => s.briefing.export(kind, week, scope, locale),
}));
