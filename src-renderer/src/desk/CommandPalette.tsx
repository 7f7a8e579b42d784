// Ctrl+K: every desk command by name, filtered as you type; ↑/↓ and Enter run one.
import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useI18n } from '../i18n';

export interface PaletteCommand {
  id: string;
  label: string;
  hint?: string;
  run: () => void;
}

export function CommandPalette({ commands, onClose }: { commands: PaletteCommand[]; onClose: () => void }) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement | null>(null);
  useEffect(() => input.current?.focus(), []);
  const q = query.trim().toLowerCase();
  const shown = commands.filter(
    (c) => !q || c.label.toLowerCase().includes(q) || c.id.toLowerCase().includes(q),
  );
  const onKey = (e: KeyboardEvent): void => {
    e.stopPropagation();
    if (e.key === 'Escape') onClose();
    else if (e.key === 'ArrowDown') setActive((i) => Math.min(shown.length - 1, i + 1));
    else if (e.key === 'ArrowUp') setActive((i) => Math.max(0, i - 1));
    else if (e.key === 'Enter') {
      const c = shown[Math.min(active, shown.length - 1)];
      if (c) {
        onClose();
        c.run();
      }
    } else return;
    e.preventDefault();
  };
  return (
    <div className="desk-modal" role="presentation">
      <div
        className="dialog desk-palette"
        role="dialog"
        aria-modal="true"
        data-testid="desk-palette"
        onKeyDown={onKey}
      >
        <input
          ref={input}
          value={query}
          placeholder={t('desk.palette.placeholder')}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          data-testid="desk-palette-input"
        />
        <ul>
          {shown.length === 0 && <li className="muted">{t('desk.palette.none')}</li>}
          {shown.map((c, i) => (
            <li key={c.id} className={i === active ? 'active' : ''} data-testid="desk-palette-item">
              <button
                onClick={() => {
                  onClose();
                  c.run();
                }}
              >
                {c.label}
                {c.hint && <kbd>{c.hint}</kbd>}
              </button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
