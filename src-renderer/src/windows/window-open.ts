// The DOM side of the window kinds: this window's kind and id, and opening the others.
import { windowKindOf, type WindowKind } from './window-kind';

export const currentWindowKind = (): WindowKind | null =>
  typeof location === 'undefined' ? null : windowKindOf(location.search);

/** A random id per window: the selection bus's `origin`, so a window ignores its own echo. */
export const WINDOW_ID: string =
  typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `w-${Math.random().toString(36).slice(2)}-${Date.now().toString(36)}`;

/** Opens (or brings forward) the window of a kind: named targets reuse the same window. */
export function openWindow(kind: WindowKind): Window | null {
  const w = window.open(`/?window=${kind}`, `grid-console-${kind}`);
  w?.focus();
  return w;
}
