// The open case: facts, live deadline and who holds the clock, the category's time limit and
// closing standard, photos before/after, a location inset, nearby cameras, the actions this seat
// may take (allowedActions), the recommended handlers, the full timeline and this seat's own
// actions with their pending/confirmed/rejected state.
import type { ActionView, CaseDetailView, ReferenceView, SeatView } from '../../../src-shared/ipc/contract';
import type { CaseAction, Role } from '../../../src-shared/domain/case-model';
import { allowedActions } from '../../../src-shared/domain/case-workflow';
import type { WorkingCalendar } from '../../../src-shared/domain/calendar';
import { insetOf, nearbyCameras } from '../../../src-shared/desk/inset';
import { rowClock } from '../../../src-shared/desk/queue';
import { rankUnits, type RankedOfficer } from '../../../src-shared/desk/recommend';
import type { CaseEvent } from '../../../src-shared/protocol/entities';
import { formatShanghai, useI18n, type Translate } from '../i18n';
import { useOffline } from '../shift/connection-context';
import type { MessageKey } from '../i18n/zh-CN';
import { caseNumberText } from '../../../src-shared/domain/case-number';
import { CasePhoto } from './CasePhoto';
import {
  actorName,
  assigneeName,
  categoryLabel,
  clockText,
  holderName,
  refusalWords,
  roleText,
  type Names,
} from './format';
import { RequestSummary } from './RequestSummary';
import { ACTION_KEYS } from './shortcuts';

interface Props {
  detail: CaseDetailView | null;
  loading: boolean;
  seat: SeatView;
  names: Names;
  reference: ReferenceView | null;
  recommended: RankedOfficer[];
  now: number;
  calendar: WorkingCalendar;
  onAction: (action: CaseAction) => void;
  onDispatchTo: (officerId: string) => void;
}

const SEAT_ACTIONS: readonly CaseAction[] = [
  'verify',
  'dispatch',
  'reassign',
  'supervise',
  'escalate',
  'delegate',
  'approveRequest',
  'refuseRequest',
  'resume',
  'close',
  'rework',
  'void',
];

export function seatActions(detail: CaseDetailView | null, seat: SeatView): CaseAction[] {
  if (!detail?.case) return [];
  const allowed = new Set(
    allowedActions(detail.case, { id: seat.seatId, role: seat.role as Role, scopeCode: seat.scopeCode }),
  );
  return SEAT_ACTIONS.filter((a) => allowed.has(a));
}

function eventFacts(e: CaseEvent, names: Names, locale: 'zh-CN' | 'en', t: Translate): string {
  const p = e.payload;
  const parts: string[] = [];
  if (p.assignee && typeof p.assignee === 'object')
    parts.push(`→ ${assigneeName(names, p.assignee as { kind: string; id: string }, locale, t)}`);
  // 联合执法: the co-units a joint dispatch named
  if (Array.isArray(p.coUnits) && p.coUnits.length > 0)
    parts.push(
      t('unit.event.joint', {
        units: (p.coUnits as string[])
          .map((u) => assigneeName(names, { kind: 'department', id: u }, locale, t))
          .join('、'),
      }),
    );
  const ext = p.extension as { unit?: string; value?: number } | undefined;
  if (ext?.unit && typeof ext.value === 'number')
    parts.push(t('desk.event.extension', { n: t(`desk.limit.${ext.unit}` as MessageKey, { n: ext.value }) }));
  for (const k of ['reason', 'note', 'result', 'text'] as const)
    if (typeof p[k] === 'string') parts.push(p[k]);
  // an approval or refusal quotes the request it settled
  const req = p.request as { reason?: string; byId?: string } | undefined;
  if (req?.reason && e.type === 'case.request_approved') parts.push(req.reason);
  if (typeof p.toCode === 'string') parts.push(`→ ${holderName(names, p.toCode)}`);
  const due = p.dueRecomputed as { from: number | null; to: number | null } | undefined;
  if (due) {
    const when = (ms: number | null): string => (ms === null ? '—' : formatShanghai(ms, locale));
    parts.push(t('desk.event.dueRecomputed', { from: when(due.from), to: when(due.to) }));
  }
  // 督办: the order issued (or issued by an escalation), which order, where a lapse went.
  const order = p.order as { level?: string; id?: string; dueAt?: number } | undefined;
  if (order?.level && order.id && order.dueAt)
    parts.push(
      t('sup.event.order', {
        level: t(`sup.level.${order.level}` as MessageKey),
        id: order.id,
        due: formatShanghai(order.dueAt, locale, false),
      }),
    );
  if (typeof p.orderId === 'string') parts.push(p.orderId);
  if (typeof p.escalatedTo === 'string')
    parts.push(t(`sup.escalated.${p.escalatedTo}` as MessageKey, { id: order?.id ?? '' }));
  // 一事多报: the other case of a merge, by number.
  for (const k of ['primaryNumber', 'duplicateNumber'] as const)
    if (typeof p[k] === 'string') parts.push(p[k]);
  return parts.join(' · ');
}

/** The timeline's name of an event: requests and their decisions say which request. */
function eventLabel(e: CaseEvent, t: (k: MessageKey) => string): string {
  const kind = (e.payload.request as { kind?: string } | undefined)?.kind;
  if (e.type === 'case.requested' && kind)
    return t(`desk.action.request${kind[0].toUpperCase()}${kind.slice(1)}` as MessageKey);
  if (e.type === 'case.request_approved' && kind)
    return `${t('desk.action.requestApproved')}${t(`desk.request.${kind}` as MessageKey)}`;
  if (e.type === 'case.request_refused' && kind)
    return `${t('desk.action.requestRefused')}${t(`desk.request.${kind}` as MessageKey)}`;
  return t(`desk.action.${eventAction(e.type)}` as MessageKey);
}

function ActionState({ a }: { a: ActionView }) {
  const { t, locale } = useI18n();
  const answer = a.answer;
  return (
    <li
      className={`desk-own desk-own-${a.status}`}
      data-testid="desk-own-action"
      data-status={a.status}
      data-type={a.type}
    >
      <span>{t(`desk.action.${a.type}` as MessageKey)}</span>
      <span className={`desk-badge desk-badge-${a.status}`}>
        {t(`desk.status.${a.status}` as MessageKey)}
      </span>
      <span className="muted small">{formatShanghai(a.createdAt, locale)}</span>
      {answer?.status === 'rejected' && (
        <span className="error small">
          {refusalWords({ code: answer.code, message: answer.reason, details: answer.details }, t, locale)}
        </span>
      )}
    </li>
  );
}

/** Says when a deadline rests on holiday dates not yet published. */
function DueAssumptions(p: { calendar: WorkingCalendar; from: number; to: number }) {
  const { t, locale } = useI18n();
  const a = p.calendar.assumptionsIn(p.from, p.to);
  if (a.provisional)
    return (
      <small className="muted due-note" data-testid="desk-detail-due-provisional">
        {t('desk.detail.dueProvisional', {
          year: a.provisional.year,
          name: locale === 'en' ? a.provisional.nameEn : a.provisional.nameZh,
        })}
      </small>
    );
  if (a.uncovered)
    return (
      <small className="muted due-note" data-testid="desk-detail-due-uncovered">
        {t('desk.detail.dueUncovered')}
      </small>
    );
  return null;
}

export function CaseDetail(p: Props) {
  const { t, locale } = useI18n();
  const offline = useOffline(); // statuses known before the link went down
  if (p.loading && !p.detail)
    return <section className="panel desk-detail">{t('desk.detail.loading')}</section>;
  const c = p.detail?.case;
  if (!p.detail || !c)
    return (
      <section className="panel desk-detail" data-testid="desk-detail-empty">
        <p className="muted">{t('desk.detail.none')}</p>
      </section>
    );
  const category = p.names.category.get(c.categoryCode);
  const clock = rowClock(c, category?.timeLimit, p.now, p.calendar);
  const actions = seatActions(p.detail, p.seat);
  const grid = p.reference?.grids.find((g) => g.code === c.gridCode);
  const inset = insetOf(grid?.geometry, c.lon, c.lat);
  const cameras = nearbyCameras(p.reference?.cameras ?? [], c.lon, c.lat);
  const canDispatch = actions.includes('dispatch');
  const units = canDispatch
    ? rankUnits(c, p.reference?.departments ?? [], p.seat.scopeCode, category?.departmentCode ?? null)
    : [];

  return (
    <section
      className="panel desk-detail"
      data-testid="desk-detail"
      data-case-id={c.id}
      data-state={c.state}
      data-version={c.version}
      tabIndex={-1}
    >
      <header className="desk-detail-head">
        <h2>
          <span className={`desk-prio desk-prio-${c.priority}`}>
            {t(`map.priority.${c.priority}` as MessageKey)}
          </span>{' '}
          {categoryLabel(p.names, c.categoryCode, locale)}{' '}
          <span
            className="mono small"
            data-testid="desk-detail-number"
            data-provisional={c.number ? 'false' : 'true'}
            title={c.id}
          >
            {caseNumberText(
              c,
              p.detail.actions.some((a) => a.status === 'pending'),
            )}
          </span>
        </h2>
        <div className="desk-detail-status">
          <span className={`desk-state desk-state-${c.state}`} data-testid="desk-detail-state">
            {t(`map.state.${c.state}` as MessageKey)}
          </span>
          <span className={`desk-clock desk-clock-${clock.level}`} data-testid="desk-detail-clock">
            {clockText(clock, t)}
          </span>
          <span data-testid="desk-detail-holder">
            {t('desk.holderClock', { holder: holderName(p.names, c.holderCode) })}
          </span>
          <span data-testid="desk-detail-assignee">
            {t('desk.assignee')}：{assigneeName(p.names, c.assignee, locale, t)}
            {c.coUnits?.length ? `（${t('unit.lead')}）` : ''}
          </span>
          {c.coUnits?.length ? (
            <span data-testid="desk-detail-co-units">
              {t('unit.coUnits')}：
              {c.coUnits
                .map((u) => assigneeName(p.names, { kind: 'department', id: u }, locale, t))
                .join('、')}
            </span>
          ) : null}
          {c.supervised && <span className="desk-badge desk-badge-supervised">{t('desk.supervised')}</span>}
        </div>
      </header>
      <p className="desk-desc">{c.description}</p>
      {c.request && <RequestSummary request={c.request} names={p.names} />}

      <div className="desk-actions" data-testid="desk-actions">
        <h3>{t('desk.detail.actions')}</h3>
        {actions.length === 0 && <p className="muted small">{t('desk.detail.noActions')}</p>}
        {actions.map((a) => (
          <button key={a} data-testid={`act-${a}`} onClick={() => p.onAction(a)} title={ACTION_KEYS[a] ?? ''}>
            {t(`desk.action.${a}` as MessageKey)}
            {ACTION_KEYS[a] && <kbd>{ACTION_KEYS[a]}</kbd>}
          </button>
        ))}
      </div>

      {canDispatch && (
        <div className="desk-recommend" data-testid="desk-recommend">
          <h3>
            {t('desk.detail.recommend')}
            {offline && (
              <span className="stale-mark" data-testid="recommend-stale">
                {' '}
                （{t('offline.staleShort')}）
              </span>
            )}
          </h3>
          {units.length > 0 && (
            <p className="small" data-testid="recommend-units">
              {units.map((u, i) => (
                <button
                  key={u.code}
                  className="linkish"
                  data-testid="recommend-unit"
                  data-code={u.code}
                  onClick={() => p.onAction('dispatch')}
                >
                  {i === 0 ? '★ ' : ''}
                  {locale === 'zh-CN' ? u.name : u.nameEn}
                  <span className="muted">（{t(`unit.group.${u.level}` as MessageKey)}）</span>
                </button>
              ))}
            </p>
          )}
          {p.recommended.length === 0 && <p className="muted small">{t('desk.detail.noRecommend')}</p>}
          <ol>
            {p.recommended.map((r, i) => (
              <li key={r.officerId}>
                <button
                  data-testid="recommend-row"
                  data-officer-id={r.officerId}
                  onClick={() => p.onDispatchTo(r.officerId)}
                >
                  <kbd>{i + 1}</kbd> {r.name}（{r.number}）
                </button>
                <span className="desk-reasons">
                  {r.reasons.map((x, k) => (
                    <span
                      key={k}
                      className={`desk-reason desk-reason-${x.sign > 0 ? 'good' : x.sign < 0 ? 'bad' : 'neutral'}`}
                    >
                      {x.code === 'status'
                        ? t(`map.status.${String(x.value)}` as MessageKey) +
                          (offline ? `（${t('offline.staleShort')}）` : '')
                        : t(`desk.reason.${x.code}` as MessageKey).replace('{v}', String(x.value ?? ''))}
                    </span>
                  ))}
                </span>
              </li>
            ))}
          </ol>
        </div>
      )}

      <div className="desk-detail-grid">
        <dl className="desk-facts">
          <dt>{t('desk.detail.source')}</dt>
          <dd>{t(`desk.source.${c.source}` as MessageKey)}</dd>
          <dt>{t('desk.detail.address')}</dt>
          <dd>{c.address}</dd>
          <dt>{t('desk.detail.grid')}</dt>
          <dd>
            {holderName(p.names, c.villageCode)} · {c.gridCode}
          </dd>
          <dt>{t('desk.detail.reported')}</dt>
          <dd>{formatShanghai(c.reportedAt, locale)}</dd>
          {c.dueAt !== null && (
            <>
              <dt>{t('desk.detail.dueAt')}</dt>
              <dd>
                {formatShanghai(c.dueAt, locale)}
                <DueAssumptions calendar={p.calendar} from={c.reportedAt} to={c.dueAt} />
              </dd>
            </>
          )}
          {category && (
            <>
              <dt>{t('desk.detail.limit')}</dt>
              <dd data-testid="desk-detail-limit">
                {t(`desk.limit.${category.timeLimit.unit}` as MessageKey, { n: category.timeLimit.value })}
              </dd>
              <dt>{t('desk.detail.standard')}</dt>
              {/* The catalogue's 结案标准 is regulatory text, published in Chinese only: quoted as
                  such (marked zh-CN) rather than machine-translated. */}
              <dd data-testid="desk-detail-standard" lang="zh-CN">
                {category.closingStandard}
              </dd>
            </>
          )}
        </dl>
        <div className="desk-inset">
          <h3>{t('desk.detail.location')}</h3>
          <svg
            width={inset.width}
            height={inset.height}
            viewBox={`0 0 ${inset.width} ${inset.height}`}
            data-testid="desk-inset"
            role="img"
            aria-label={c.address}
          >
            <path d={inset.path} className="desk-inset-grid" />
            <circle cx={inset.point[0]} cy={inset.point[1]} r={5} className="desk-inset-point" />
          </svg>
        </div>
      </div>

      <div className="desk-photos">
        <h3>{t('desk.detail.photos')}</h3>
        <div className="desk-photo-row">
          {c.photos.length === 0 && c.afterPhotos.length === 0 && (
            <span className="muted small">{t('desk.detail.noPhoto')}</span>
          )}
          {c.photos.map((h) => (
            <CasePhoto key={`b${h}`} hash={h} label={t('desk.detail.before')} />
          ))}
          {c.afterPhotos.map((h) => (
            <CasePhoto key={`a${h}`} hash={h} label={t('desk.detail.after')} />
          ))}
        </div>
      </div>

      <div className="desk-cameras">
        <h3>{t('desk.detail.cameras')}</h3>
        {cameras.length === 0 ? (
          <p className="muted small">{t('desk.detail.noCameras')}</p>
        ) : (
          <ul data-testid="desk-cameras">
            {cameras.map((x) => (
              <li key={x.camera.id}>
                <span className={x.camera.online ? 'ok' : 'muted'}>●</span> {x.camera.name} ·{' '}
                {Math.round(x.distanceM)} m
              </li>
            ))}
          </ul>
        )}
      </div>

      {p.detail.actions.length > 0 && (
        <div className="desk-own-list">
          <h3>{t('desk.detail.myActions')}</h3>
          <ul>
            {p.detail.actions.map((a) => (
              <ActionState key={a.commandId} a={a} />
            ))}
          </ul>
        </div>
      )}

      <div className="desk-timeline">
        <h3>{t('desk.detail.timeline')}</h3>
        <ol data-testid="desk-timeline">
          {p.detail.events.map((e) => (
            <li key={e.seq} data-testid="desk-event" data-type={e.type}>
              <span className="mono small">{formatShanghai(e.serverTime, locale)}</span>{' '}
              <strong>{eventLabel(e, t)}</strong>{' '}
              {t('desk.event.actor', {
                actor: actorName(p.names, e.actorId, t),
                role: roleText(e.actorRole, t),
              })}
              {e.seatId && e.seatId !== e.actorId && (
                <span className="muted small">
                  {' '}
                  · {t('desk.seat', { seat: actorName(p.names, e.seatId, t) })}
                </span>
              )}
              <span className="muted"> {eventFacts(e, p.names, locale, t)}</span>
            </li>
          ))}
        </ol>
      </div>
    </section>
  );
}

const EVENT_ACTION: Record<string, string> = {
  'case.reported': 'report',
  'case.self_handled': 'selfHandle',
  'case.verified': 'verify',
  'case.voided': 'void',
  'case.dispatched': 'dispatch',
  'case.reassigned': 'reassign',
  'case.signed_for': 'signFor',
  'case.returned': 'return',
  'case.suspended': 'suspend',
  'case.resumed': 'resume',
  'case.feedback_given': 'feedback',
  'case.closed': 'close',
  'case.reworked': 'rework',
  'case.escalated': 'escalate',
  'case.delegated': 'delegate',
  'case.supervised': 'supervise',
  'case.supervision_reminded': 'remindSupervision',
  'case.supervision_answered': 'answerSupervision',
  'case.supervision_lapsed': 'lapseSupervision',
  'case.requested': 'requested',
  'case.request_approved': 'requestApproved',
  'case.request_refused': 'requestRefused',
  'case.note_added': 'addNote',
  'case.photo_added': 'addPhoto',
  'case.fields_edited': 'editFields',
  'case.merged': 'merge',
  'case.duplicate_merged': 'duplicateMerged',
  'case.unmerged': 'unmerge',
  'case.duplicate_unmerged': 'duplicateUnmerged',
};

function eventAction(type: string): string {
  return EVENT_ACTION[type] ?? 'addNote';
}
