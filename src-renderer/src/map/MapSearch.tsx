// The search box: results as you type, Enter takes the first, arrows move through them.
import { useMemo, useState } from 'react';
import type { MapSnapshot } from '../../../src-shared/ipc/map-data';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import type { MapAreas } from '../../../src-shared/map/areas';
import { searchMap, type SearchHit } from '../../../src-shared/map/search';

interface Props {
  areas: MapAreas;
  snapshot: () => MapSnapshot | null;
  /** Bumped when cases or officers are replaced, so open results are searched again. */
  dataVersion: number;
  onPick: (hit: SearchHit) => void;
}

export function MapSearch({ areas, snapshot, dataVersion, onPick }: Props) {
  const { t } = useI18n();
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const [open, setOpen] = useState(false);
  // dataVersion is a dependency on purpose: the snapshot getter is stable, its data is not.
  const hits = useMemo(
    () => (query.trim() && dataVersion >= 0 ? searchMap(query, areas, snapshot()) : []),
    [query, areas, snapshot, dataVersion],
  );
  const pick = (hit: SearchHit | undefined): void => {
    if (!hit) return;
    onPick(hit);
    setOpen(false);
  };
  return (
    <div className="map-search" role="search">
      <input
        type="search"
        data-testid="map-search"
        aria-label={t('map.search.label')}
        placeholder={t('map.search.placeholder')}
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setActive(0);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') pick(hits[active]);
          else if (e.key === 'ArrowDown') setActive((a) => Math.min(a + 1, hits.length - 1));
          else if (e.key === 'ArrowUp') setActive((a) => Math.max(a - 1, 0));
          else if (e.key === 'Escape') setOpen(false);
          else return;
          e.preventDefault();
        }}
      />
      {open && query.trim() && (
        <ul className="map-search-results" data-testid="map-search-results" role="listbox">
          {hits.length === 0 && <li className="muted">{t('map.search.none')}</li>}
          {hits.map((h, i) => (
            <li key={`${h.kind}:${h.key}`} role="option" aria-selected={i === active}>
              <button
                data-testid={`search-hit-${h.kind}`}
                className={i === active ? 'active' : ''}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pick(h)}
              >
                <span className="chip">{t(`map.kind.${h.kind}` as MessageKey)}</span> {h.label}{' '}
                <span className="muted small">{h.detail}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
