// UI text: zh-CN by default, English on request; times always shown in Asia/Shanghai.
import { createContext, useContext } from 'react';
import type { UiLocale } from '../../../src-shared/ipc/contract';
import { en } from './en';
import { zhCN, type MessageKey } from './zh-CN';

const CATALOGS: Record<UiLocale, Record<MessageKey, string>> = { 'zh-CN': zhCN, en };
const STORAGE_KEY = 'gridConsole.locale';

export type Translate = (key: MessageKey, vars?: Record<string, string | number>) => string;

export function translator(locale: UiLocale): Translate {
  const catalog = CATALOGS[locale];
  return (key, vars) => {
    const text = catalog[key];
    return vars
      ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m))
      : text;
  };
}

export function initialLocale(): UiLocale {
  const saved = globalThis.localStorage?.getItem(STORAGE_KEY);
  return saved === 'en' || saved === 'zh-CN' ? saved : 'zh-CN';
}

/** Whether the user chose a language on this PC (else the workstation setting decides). */
export const hasSavedLocale = (): boolean => Boolean(globalThis.localStorage?.getItem(STORAGE_KEY));

export function saveLocale(locale: UiLocale): void {
  globalThis.localStorage?.setItem(STORAGE_KEY, locale);
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** `2026-11-21 16:05:09` in Asia/Shanghai whatever the workstation's zone. */
export function formatShanghai(ms: number, locale: UiLocale, withSeconds = true): string {
  const key = `${locale}:${withSeconds}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en-GB', {
      timeZone: 'Asia/Shanghai',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: withSeconds ? '2-digit' : undefined,
      hourCycle: 'h23',
    });
    formatters.set(key, f);
  }
  const parts = Object.fromEntries(f.formatToParts(ms).map((p) => [p.type, p.value]));
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const time = `${parts.hour}:${parts.minute}${withSeconds ? `:${parts.second}` : ''}`;
  return `${date} ${time}`;
}

export interface I18n {
  locale: UiLocale;
  t: Translate;
  setLocale(locale: UiLocale): void;
}

export const I18nContext = createContext<I18n>({
  locale: 'zh-CN',
  t: translator('zh-CN'),
  setLocale: () => undefined,
});

export const useI18n = (): I18n => useContext(I18nContext);
