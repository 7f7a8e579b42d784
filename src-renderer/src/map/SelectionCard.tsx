// The card of what is selected: an officer (live), a video point, a case (with its details
// from the cache), a town/village/grid with its officers and open cases, or a box selection.
import { useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { CaseDetailView, MapBaseView } from '../../../src-shared/ipc/contract';
import type { Camera } from '../../../src-shared/protocol/entities';
import { NO_INDEX } from '../../../src-shared/ipc/map-data';
import { useI18n } from '../i18n';
import { formatShanghai } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { bridge } from '../platform/bridge';
import { useClock } from '../shell/use-clock';
import { areaFigures } from '../../../src-shared/map/area-figures';
import { areaSet } from '../../../src-shared/map/areas';
import { useOffline } from '../shift/connection-context';
import { categoryName, fixText, officerKindKey, priorityKey, stateKey, statusKey } from './describe';
import type { MapEngine } from './map-engine';
import type { MapPick, MapSelection } from './map-picks';
import { OFFICER_COLOR_TABLE, toCss } from '../../../src-shared/map/palette';
import { caseNumberText } from '../../../src-shared/domain/case-number';
import { mapCaseNumber } from '../../../src-shared/map/case-label';

const LIST_MAX = 30;

interface CardProps {
  engine: MapEngine;
  reference: MapBaseView | null;
  /** The cameras' objects (owner, stream): null until the first camera card asks for them. */
  cameras: readonly Camera[] | null;
  requestCameras: () => void;
  selection: Exclude<MapSelection, null>;
  onSelect: (pick: MapPick) => void;
  onClose: () => void;
  onReplay: (officers: number[]) => void;
}

function Field({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  );
}

function Dot({ status }: { status: number }) {
  return (
    <span
      className="status-dot"
      style={{ background: toCss(OFFICER_COLOR_TABLE[status] ?? [128, 128, 128]) }}
    />
  );
}

export function SelectionCard(p: CardProps) {
  const { t } = useI18n();
  const sel = p.selection;
  const kind = sel.kind === 'area' ? `area-${sel.level}` : sel.kind;
  return (
    <section className="panel map-card" data-testid={`card-${sel.kind}`} data-card-kind={kind}>
      <button
        className="map-card-close"
        data-testid="card-close"
        onClick={p.onClose}
        title={t('map.card.close')}
      >
        ×
      </button>
      {sel.kind === 'officer' && <OfficerCard {...p} index={sel.index} />}
      {sel.kind === 'camera' && <CameraCard {...p} index={sel.index} />}
      {sel.kind === 'case' && <CaseCard {...p} index={sel.index} />}
      {sel.kind === 'area' && <AreaCard {...p} level={sel.level} index={sel.index} />}
      {sel.kind === 'box' && <BoxCard {...p} picks={sel.picks} />}
    </section>
  );
}

function OfficerCard({ engine, index, onReplay }: CardProps & { index: number }) {
  const { t, locale } = useI18n();
  // Re-render when a position batch or a staleness repaint changes the officers.
  useSyncExternalStore(engine.subscribeOfficers, engine.officersVersion);
  const now = useClock();
  const offline = useOffline(); // a status seen before the link went down may be stale
  const o = engine.currentSnapshot.officers;
  const grid = o.homeGrid[index] !== NO_INDEX ? engine.currentSnapshot.gridCodes[o.homeGrid[index]] : null;
  const heading = o.heading[index];
  return (
    <>
      <h2 data-testid="card-title">
        <Dot status={o.status[index]} /> {o.names[index]}
      </h2>
      <dl>
        <Field label={t('map.field.number')} testId="card-officer-number">
          {o.numbers[index]}
        </Field>
        <Field label={t('map.field.kind')}>{t(officerKindKey(o.kind[index]))}</Field>
        <Field label={t('map.field.status')} testId="card-officer-status">
          {t(statusKey(o.status[index]))}
          {offline && (
            <span className="stale-mark" data-testid="card-officer-stale">
              {' '}
              {t('offline.staleShort')}
            </span>
          )}
        </Field>
        <Field label={t('map.field.lastFix')} testId="card-officer-fix">
          {fixText(o.fixAt[index], now, t, locale)}
        </Field>
        <Field label={t('map.field.heading')}>
          {Number.isNaN(heading)
            ? t('map.heading.none')
            : t('map.heading.value', { deg: Math.round(heading) })}
        </Field>
        <Field label={t('map.field.homeGrid')}>{grid ?? '—'}</Field>
      </dl>
      <div className="map-card-actions">
        <button data-testid="card-replay" onClick={() => onReplay([index])}>
          {t('map.replay.start')}
        </button>
        <button
          data-testid="card-locate"
          onClick={() => !Number.isNaN(o.lon[index]) && engine.flyTo(o.lon[index], o.lat[index], 16)}
        >
          {t('map.card.flyTo')}
        </button>
      </div>
    </>
  );
}

function CameraCard({ engine, cameras, requestCameras, index }: CardProps & { index: number }) {
  const { t } = useI18n();
  // The full reference (≈ 7 MB for the city) is not on the map's start path: asked for here.
  useEffect(() => {
    if (!cameras) requestCameras();
  }, [cameras, requestCameras]);
  const c = engine.currentSnapshot.cameras;
  const full = cameras?.find((x) => x.id === c.ids[index]);
  const dir = c.direction[index];
  return (
    <>
      <h2 data-testid="card-title">{c.names[index]}</h2>
      <dl>
        <Field label={t('map.field.id')}>{c.ids[index]}</Field>
        <Field label={t('map.field.status')} testId="card-camera-online">
          {t(c.online[index] ? 'map.camera.online' : 'map.camera.offline')}
        </Field>
        <Field label={t('map.field.direction')}>{Number.isNaN(dir) ? '—' : `${Math.round(dir)}°`}</Field>
        <Field label={t('map.field.grid')}>{engine.currentSnapshot.gridCodes[c.grid[index]] ?? '—'}</Field>
        {full && (
          <Field label={t('map.field.owner')} testId="card-camera-owner">
            {t(`map.owner.${full.owner}` as MessageKey)}
          </Field>
        )}
        {full?.streamUrl && <Field label={t('map.field.stream')}>{full.streamUrl}</Field>}
      </dl>
    </>
  );
}

function CaseCard({ engine, reference, index }: CardProps & { index: number }) {
  const { t, locale } = useI18n();
  const s = engine.currentSnapshot;
  const c = s.cases;
  const id = c.ids[index];
  // The details (description, address) from the cache, for the case shown now.
  const [loaded, setLoaded] = useState<{ id: string; detail: CaseDetailView } | null>(null);
  useEffect(() => {
    let alive = true;
    void bridge()
      .call('cases.get', id)
      .then((r) => {
        if (alive && r.ok) setLoaded({ id, detail: r.data });
      });
    return () => {
      alive = false;
    };
  }, [id]);
  const detail = loaded?.id === id ? loaded.detail : null;
  const due = c.dueAt[index];
  const now = useClock();
  return (
    <>
      <h2 data-testid="card-title" title={id}>
        {detail?.case
          ? caseNumberText(
              detail.case,
              detail.actions.some((a) => a.status === 'pending'),
            )
          : mapCaseNumber(c, index)}{' '}
        <span className={`chip prio-${c.priority[index]}`}>{t(priorityKey(c.priority[index]))}</span>
      </h2>
      <dl>
        <Field label={t('map.field.state')} testId="card-case-state">
          {t(stateKey(c.state[index]))}
        </Field>
        <Field label={t('map.field.category')}>
          {categoryName(reference, s.categoryCodes[c.category[index]], locale)}
        </Field>
        <Field label={t('map.field.reportedAt')}>{formatShanghai(c.reportedAt[index], locale)}</Field>
        <Field label={t('map.field.dueAt')}>
          {Number.isNaN(due) ? (
            t('map.noDeadline')
          ) : (
            <>
              {formatShanghai(due, locale)}{' '}
              {due < now && <span className="chip bad">{t('map.overdue')}</span>}
            </>
          )}
        </Field>
        <Field label={t('map.field.grid')}>{s.gridCodes[c.grid[index]] ?? '—'}</Field>
        {detail?.case && (
          <>
            <Field label={t('map.field.address')}>{detail.case.address}</Field>
            <Field label={t('map.field.description')} testId="card-case-description">
              {detail.case.description}
            </Field>
          </>
        )}
      </dl>
    </>
  );
}

function AreaCard({
  engine,
  level,
  index,
  onSelect,
}: CardProps & { level: 'town' | 'village' | 'grid'; index: number }) {
  const { t } = useI18n();
  useSyncExternalStore(engine.subscribeOfficers, engine.officersVersion);
  const now = useClock();
  const areas = engine.areas;
  const set = areaSet(areas, level);
  const s = engine.currentSnapshot;
  const f = areaFigures(areas, s, engine.gridIndexMap, level, index, now);
  const parent = set.parent[index];
  const parentName =
    parent < 0 ? '' : level === 'grid' ? areas.villages.names[parent] : areas.towns.names[parent];
  return (
    <>
      <h2 data-testid="card-title">
        {t(`map.level.${level}` as MessageKey)} {level === 'grid' ? set.codes[index] : set.names[index]}
      </h2>
      <dl>
        <Field label={t('map.field.code')} testId="card-area-code">
          {set.codes[index]}
        </Field>
        {parentName && <Field label={t('map.field.parent')}>{parentName}</Field>}
        <Field label={t('map.field.rentalUnits')}>{set.rentalUnits[index]}</Field>
        <Field label={t('map.field.residents')}>{set.residents[index]}</Field>
        <Field label={t('map.field.openCases')} testId="card-area-open">
          {f.cases.length}
        </Field>
        <Field label={t('map.field.overdueCases')}>{f.overdue}</Field>
        <Field label={t('map.field.officers')} testId="card-area-officers">
          {f.onDuty} / {f.officers.length}
        </Field>
      </dl>
      <h3>{t('map.kind.officer')}</h3>
      <PickList
        items={f.officers.map((i) => ({
          pick: { kind: 'officer', index: i },
          label: (
            <>
              <Dot status={s.officers.status[i]} /> {s.officers.names[i]}{' '}
              <span className="muted">{t(statusKey(s.officers.status[i]))}</span>
            </>
          ),
        }))}
        onSelect={onSelect}
        testId="card-area-officer-list"
      />
      <h3>{t('map.field.openCases')}</h3>
      <PickList
        items={f.cases.map((i) => ({
          pick: { kind: 'case', index: i },
          label: (
            <>
              <span className="mono">{mapCaseNumber(s.cases, i)}</span>{' '}
              <span className={`chip prio-${s.cases.priority[i]}`}>
                {t(priorityKey(s.cases.priority[i]))}
              </span>{' '}
              <span className="muted">{t(stateKey(s.cases.state[i]))}</span>
            </>
          ),
        }))}
        onSelect={onSelect}
        testId="card-area-case-list"
      />
    </>
  );
}

function BoxCard({ engine, picks, onSelect, onReplay }: CardProps & { picks: MapPick[] }) {
  const { t } = useI18n();
  const s = engine.currentSnapshot;
  const officers = picks.filter((p) => p.kind === 'officer').map((p) => p.index);
  return (
    <>
      <h2 data-testid="card-title">{t('map.box.title', { n: picks.length })}</h2>
      <PickList
        items={picks.map((p) => ({
          pick: p,
          label:
            p.kind === 'officer'
              ? `${t('map.kind.officer')} ${s.officers.names[p.index]}`
              : p.kind === 'camera'
                ? `${t('map.kind.camera')} ${s.cameras.names[p.index]}`
                : p.kind === 'case'
                  ? `${t('map.kind.case')} ${mapCaseNumber(s.cases, p.index)}`
                  : '',
        }))}
        onSelect={onSelect}
        testId="card-box-list"
      />
      {officers.length > 0 && (
        <div className="map-card-actions">
          <button data-testid="card-replay" onClick={() => onReplay(officers.slice(0, 6))}>
            {t('map.replay.start')}
          </button>
        </div>
      )}
    </>
  );
}

function PickList({
  items,
  onSelect,
  testId,
}: {
  items: { pick: MapPick; label: ReactNode }[];
  onSelect: (p: MapPick) => void;
  testId: string;
}) {
  const { t } = useI18n();
  if (items.length === 0) return <p className="muted small">{t('map.list.empty')}</p>;
  return (
    <ul className="pick-list" data-testid={testId}>
      {items.slice(0, LIST_MAX).map((it, k) => (
        <li key={k}>
          <button onClick={() => onSelect(it.pick)}>{it.label}</button>
        </li>
      ))}
      {items.length > LIST_MAX && (
        <li className="muted small">{t('map.list.more', { n: items.length - LIST_MAX })}</li>
      )}
    </ul>
  );
}
