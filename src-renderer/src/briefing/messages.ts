// UI text of this feature, merged into the app's catalogs (i18n/zh-CN.ts, i18n/en.ts).
// zh-CN is the default; every key must exist in both.
export const briefingZh = {} as const;

export const briefingEn: Record<keyof typeof briefingZh, string> = {};
