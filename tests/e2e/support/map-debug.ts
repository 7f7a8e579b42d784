// Calls the map's debug hook (window.gridMapDebug, see src-shared/map/debug-hook.ts) in the page.
import type { Page } from 'playwright-core';
import type { GridMapDebug } from '../../../src-shared/map/debug-hook';

export function debugCall<K extends keyof GridMapDebug>(
  page: Page,
  name: K,
  ...args: Parameters<GridMapDebug[K]>
): Promise<Awaited<ReturnType<GridMapDebug[K]>>> {
  const list = args.map((a) => JSON.stringify(a)).join(', ');
  return page.evaluate(`window.gridMapDebug.${name}(${list})`);
}
