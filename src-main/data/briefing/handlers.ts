// The weekly briefing: rollup status, a week's analysis, drill-down, hot spots and export.
import { feature } from '../pipeline';

export const briefingHandlers = feature((s) => ({
  'briefing.status': (refresh) => s.briefingStatus(refresh ?? false),
  'briefing.analyse': (week, scope) => s.briefingAnalyse(week, scope),
  'briefing.drill': (filter, limit) => s.briefingDrillFromServer(filter, limit),
  'briefing.hotSpots': (week, scope, majorCode) => s.briefingHotSpots(week, scope, majorCode),
  'briefing.export': (kind, week, scope, locale) => s.briefingExport(kind, week, scope, locale),
}));
