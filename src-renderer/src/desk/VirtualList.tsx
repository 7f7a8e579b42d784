// A small windowed list: only the rows in view (plus a few either side) are in the DOM, placed
// absolutely inside a spacer as tall as all rows, so 30,000+ rows scroll at the cost of ~30.
import { useEffect, useRef, useState, type ReactNode } from 'react';

interface Props<T> {
  items: readonly T[];
  rowHeight: number;
  /** Index to keep in view (the keyboard selection). */
  activeIndex: number;
  renderRow: (item: T, index: number) => ReactNode;
  testId?: string;
  label?: string;
}

const OVERSCAN = 6;

export function VirtualList<T>({ items, rowHeight, activeIndex, renderRow, testId, label }: Props<T>) {
  const ref = useRef<HTMLDivElement | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(600);

  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const resize = new ResizeObserver(() => setHeight(el.clientHeight));
    resize.observe(el);
    setHeight(el.clientHeight);
    return () => resize.disconnect();
  }, []);

  // Keep the active row in view when it moves by keyboard.
  useEffect(() => {
    const el = ref.current;
    if (!el || activeIndex < 0) return;
    const top = activeIndex * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + el.clientHeight)
      el.scrollTop = top + rowHeight - el.clientHeight;
  }, [activeIndex, rowHeight]);

  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + OVERSCAN);
  const visible: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    visible.push(
      <div key={i} className="vlist-row" style={{ top: i * rowHeight, height: rowHeight }}>
        {renderRow(items[i], i)}
      </div>,
    );
  }
  return (
    <div
      ref={ref}
      className="vlist"
      data-testid={testId}
      data-rows={items.length}
      data-rendered={last - first}
      role="listbox"
      aria-label={label}
      onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
    >
      <div className="vlist-spacer" style={{ height: items.length * rowHeight }}>
        {visible}
      </div>
    </div>
  );
}
