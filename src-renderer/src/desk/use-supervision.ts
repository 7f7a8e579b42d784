// The desk's 督办 orders (desk.supervision), re-read when cases or the outbox change (debounced),
// and Shift+S to show or hide the supervision list.
import { useEffect, useState } from 'react';
import type { SupervisionItem } from '../../../src-shared/desk/supervision-list';
import { bridge } from '../platform/bridge';

const DEBOUNCE_MS = 400;

export function useSupervision(toggle: () => void): SupervisionItem[] {
  const [items, setItems] = useState<SupervisionItem[]>([]);
  useEffect(() => {
    const api = bridge();
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const load = async (): Promise<void> => {
      timer = null;
      const r = await api.call('desk.supervision');
      if (alive && r.ok) setItems(r.data);
    };
    const soon = (): void => {
      timer ??= setTimeout(() => void load(), DEBOUNCE_MS);
    };
    void load();
    const offs = [api.on('cases.changed', soon), api.on('outbox.changed', soon)];
    return () => {
      alive = false;
      if (timer) clearTimeout(timer);
      offs.forEach((off) => off());
    };
  }, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const target = e.target as HTMLElement | null;
      if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)))
        return;
      if (e.key === 'S' && e.shiftKey && !e.ctrlKey && !e.altKey && !e.metaKey) {
        e.preventDefault();
        toggle();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toggle]);
  return items;
}
