// UI text of this feature, merged into the app's catalogs (i18n/zh-CN.ts, i18n/en.ts).
// zh-CN is the default; every key must exist in both.
export const inspectionsZh = {} as const;

export const inspectionsEn: Record<keyof typeof inspectionsZh, string> = {};
