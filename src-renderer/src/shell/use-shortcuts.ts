import { useEffect } from 'react';

export interface Shortcut {
  /** `Alt+1`, `?`, `Alt+L`: modifier names then the key as KeyboardEvent.key (case-insensitive). */
  combo: string;
  run(): void;
}

function matches(combo: string, e: KeyboardEvent): boolean {
  const parts = combo.split('+');
  const key = parts.pop() ?? '';
  const mods = new Set(parts.map((p) => p.toLowerCase()));
  if (mods.has('alt') !== e.altKey || mods.has('ctrl') !== e.ctrlKey || mods.has('meta') !== e.metaKey)
    return false;
  // Alt+digit on some layouts yields a symbol in e.key; e.code keeps the physical digit.
  if (/^\d$/.test(key)) return e.code === `Digit${key}` || e.key === key;
  return e.key.toLowerCase() === key.toLowerCase();
}

function typingIn(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
  );
}

/**
 * Global keyboard shortcuts. Plain keys are ignored while the user types in a field; Alt
 * combinations (Alt+1…5 views, Alt+L) type nothing, so they work from a search box too.
 */
export function useShortcuts(shortcuts: readonly Shortcut[]): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (typingIn(e.target) && !e.altKey) return;
      const hit = shortcuts.find((s) => matches(s.combo, e));
      if (hit) {
        e.preventDefault();
        hit.run();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [shortcuts]);
}
