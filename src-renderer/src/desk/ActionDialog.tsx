// The form of one workflow action (verify, void, dispatch, reassign, suspend, resume, close,
// rework, escalate, delegate, supervise) and of bulk dispatch. Keyboard: the first field has the
// focus, Enter submits from anywhere in the form, Esc cancels.
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { ReferenceView, UiLocale } from '../../../src-shared/ipc/contract';
import { PRIORITIES, type CaseAction } from '../../../src-shared/domain/case-model';
import { isAncestorOf, isWithin, levelOf } from '../../../src-shared/domain/codes';
import type { RankedOfficer } from '../../../src-shared/desk/recommend';
import type { DeskRow } from '../../../src-shared/desk/queue-data';
import type { Case } from '../../../src-shared/protocol/entities';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { closingChecklist } from '../../../src-shared/domain/work-rules';
import { assigneeName, categoryLabel, holderName, type Names } from './format';
import { RequestSummary } from './RequestSummary';
import { UnitPicker, unitChoices } from './UnitPicker';

/** What a form hands back: the payload (without caseId) and whether baseVersion is needed. */
export type ActionSubmit = (payload: Record<string, unknown>) => Promise<string | null>;

const NEEDS_REASON: ReadonlySet<string> = new Set([
  'void',
  'reassign',
  'refuseRequest',
  'rework',
  'escalate',
]);

interface Props {
  action: CaseAction;
  case: Case;
  names: Names;
  reference: ReferenceView | null;
  recommended: RankedOfficer[];
  seatScope: string;
  onSubmit: ActionSubmit;
  onClose: () => void;
}

function useDialogKeys(onClose: () => void, submit: () => void) {
  return (e: KeyboardEvent<HTMLElement>): void => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      onClose();
    } else if (e.key === 'Enter' && !(e.target instanceof HTMLTextAreaElement)) {
      e.preventDefault();
      e.stopPropagation();
      submit();
    }
    // Keep the desk's single-key shortcuts out of the form.
    e.stopPropagation();
  };
}

function officerOptions(c: Case, reference: ReferenceView | null, recommended: RankedOfficer[]) {
  const seen = new Set(recommended.map((r) => r.officerId));
  const others = (reference?.officers ?? [])
    .filter(
      (o) =>
        o.kind !== 'department' &&
        o.villageCode === c.villageCode &&
        !seen.has(o.id) &&
        o.id !== c.reporterId,
    )
    .sort((a, b) => a.number.localeCompare(b.number));
  return [
    ...recommended.map((r) => ({ id: r.officerId, label: `★ ${r.name}（${r.number}）` })),
    ...others.map((o) => ({ id: o.id, label: `${o.name}（${o.number}）` })),
  ];
}

/** Divisions a delegation could go to: below the holder, containing the case's grid, within the seat. */
function delegateTargets(c: Case, reference: ReferenceView | null, seatScope: string) {
  return (reference?.divisions ?? []).filter(
    (d) =>
      d.code !== c.holderCode &&
      isAncestorOf(c.holderCode, d.code) &&
      isAncestorOf(d.code, c.gridCode) &&
      isWithin(d.code, seatScope) &&
      levelOf(d.code) !== 'grid',
  );
}

export function ActionDialog(p: Props) {
  const { t, locale } = useI18n();
  const c = p.case;
  const isDispatch = p.action === 'dispatch' || p.action === 'reassign';
  const category = p.names.category.get(c.categoryCode);
  const officers = isDispatch ? officerOptions(c, p.reference, p.recommended) : [];
  const targets = p.action === 'delegate' ? delegateTargets(c, p.reference, p.seatScope) : [];
  const [kind, setKind] = useState<'officer' | 'department'>(officers.length > 0 ? 'officer' : 'department');
  const [officer, setOfficer] = useState(officers[0]?.id ?? '');
  const units = isDispatch
    ? unitChoices(c, p.reference?.departments ?? [], p.seatScope, category?.departmentCode ?? null)
    : { leads: [], assist: [] };
  const [department, setDepartment] = useState(units.leads[0]?.code ?? category?.departmentCode ?? '');
  const [joint, setJoint] = useState(false);
  const [coUnits, setCoUnits] = useState<string[]>([]);
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [priority, setPriority] = useState('');
  const [toCode, setToCode] = useState(targets[0]?.code ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // close: the category's 结案条件 as a checklist the checker confirms item by item
  const checklist = p.action === 'close' && category ? closingChecklist(category.closingStandard) : [];
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set());
  const first = useRef<HTMLElement | null>(null);
  useEffect(() => first.current?.focus(), []);

  const submit = (): void => {
    if (busy) return;
    const payload: Record<string, unknown> = {};
    if (isDispatch) payload.assignee = { kind, id: kind === 'officer' ? officer : department };
    // 联合执法: co-units of a first dispatch to a unit (the lead is the assignee)
    if (p.action === 'dispatch' && kind === 'department' && joint && coUnits.length > 0)
      payload.coUnits = coUnits;
    if (NEEDS_REASON.has(p.action) || p.action === 'delegate') {
      if (reason.trim()) payload.reason = reason.trim();
    }
    if (p.action === 'delegate') payload.toCode = toCode;
    if (p.action === 'verify' && priority) payload.priority = priority;
    if (
      (p.action === 'verify' ||
        p.action === 'dispatch' ||
        p.action === 'close' ||
        p.action === 'approveRequest') &&
      note.trim()
    )
      payload.note = note.trim();
    if (p.action === 'close') {
      if (checklist.some((item) => !checked.has(item))) {
        setError(t('desk.form.checklistIncomplete'));
        return;
      }
      payload.checklist = checklist;
    }
    if (p.action === 'supervise') payload.note = note.trim();
    setBusy(true);
    setError(null);
    void p.onSubmit(payload).then((refusal) => {
      setBusy(false);
      if (refusal) setError(refusal);
      else p.onClose();
    });
  };
  const onKey = useDialogKeys(p.onClose, submit);
  const onForm = (e: FormEvent): void => {
    e.preventDefault();
    submit();
  };
  const needsReason = NEEDS_REASON.has(p.action);

  return (
    <div className="desk-modal" role="presentation">
      <form
        className="dialog desk-dialog"
        role="dialog"
        aria-modal="true"
        data-testid="desk-action-dialog"
        data-action={p.action}
        onSubmit={onForm}
        onKeyDown={onKey}
      >
        <h2>
          {t(`desk.action.${p.action}` as MessageKey)} · <span className="mono">{c.id}</span>
        </h2>
        <p className="muted small">
          {categoryLabel(p.names, c.categoryCode, locale)} · {holderName(p.names, c.holderCode)}
        </p>
        {(p.action === 'approveRequest' || p.action === 'refuseRequest') && c.request && (
          <RequestSummary request={c.request} names={p.names} />
        )}
        {checklist.length > 0 && (
          <fieldset className="desk-checklist" data-testid="close-checklist">
            <legend>{t('desk.form.checklist')}</legend>
            {c.afterPhotos.length === 0 && (
              <p className="error small" data-testid="close-no-photo">
                {t('desk.form.noAfterPhoto')}
              </p>
            )}
            {checklist.map((item, i) => (
              <label key={item} lang="zh-CN">
                <input
                  type="checkbox"
                  ref={(el) => {
                    if (i === 0) first.current = el;
                  }}
                  checked={checked.has(item)}
                  onChange={(e) =>
                    setChecked((old) => {
                      const next = new Set(old);
                      if (e.target.checked) next.add(item);
                      else next.delete(item);
                      return next;
                    })
                  }
                  data-testid="close-check-item"
                />
                {item}
              </label>
            ))}
          </fieldset>
        )}
        {isDispatch && (
          <>
            <fieldset className="desk-radio">
              <legend>{t('desk.form.to')}</legend>
              <label>
                <input
                  type="radio"
                  name="kind"
                  checked={kind === 'officer'}
                  onChange={() => setKind('officer')}
                  data-testid="dispatch-kind-officer"
                />
                {t('desk.form.toOfficer')}
              </label>
              <label>
                <input
                  type="radio"
                  name="kind"
                  checked={kind === 'department'}
                  onChange={() => setKind('department')}
                  data-testid="dispatch-kind-department"
                />
                {t('desk.form.toDepartment')}
              </label>
            </fieldset>
            {kind === 'officer' ? (
              <label>
                {t('desk.form.officer')}
                <select
                  ref={(el) => {
                    first.current = el;
                  }}
                  value={officer}
                  onChange={(e) => setOfficer(e.target.value)}
                  data-testid="dispatch-officer"
                >
                  {officers.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.label}
                    </option>
                  ))}
                </select>
              </label>
            ) : (
              <UnitPicker
                case={c}
                leads={units.leads}
                assist={units.assist}
                lead={department}
                onLead={setDepartment}
                coUnits={p.action === 'dispatch' ? coUnits : null}
                joint={joint}
                onJoint={setJoint}
                onCoUnits={setCoUnits}
                firstField={(el) => {
                  first.current = el;
                }}
              />
            )}
          </>
        )}
        {p.action === 'verify' && (
          <label>
            {t('desk.form.priority')}
            <select
              ref={(el) => {
                first.current = el;
              }}
              value={priority}
              onChange={(e) => setPriority(e.target.value)}
              data-testid="verify-priority"
            >
              <option value="">
                {t('desk.form.keep')}（{t(`map.priority.${c.priority}` as MessageKey)}）
              </option>
              {PRIORITIES.map((x) => (
                <option key={x} value={x}>
                  {t(`map.priority.${x}` as MessageKey)}
                </option>
              ))}
            </select>
          </label>
        )}
        {p.action === 'delegate' && (
          <label>
            {t('desk.form.toCode')}
            <select
              ref={(el) => {
                first.current = el;
              }}
              value={toCode}
              onChange={(e) => setToCode(e.target.value)}
              data-testid="delegate-to"
            >
              {targets.map((d) => (
                <option key={d.code} value={d.code}>
                  {d.name}（{d.code}）
                </option>
              ))}
            </select>
          </label>
        )}
        {(needsReason || p.action === 'delegate') && (
          <label>
            {t('desk.form.reason')}
            <input
              ref={(el) => {
                if (!first.current) first.current = el;
              }}
              value={reason}
              required={needsReason}
              maxLength={500}
              onChange={(e) => setReason(e.target.value)}
              data-testid="action-reason"
            />
          </label>
        )}
        {(p.action === 'verify' ||
          p.action === 'dispatch' ||
          p.action === 'close' ||
          p.action === 'approveRequest' ||
          p.action === 'supervise') && (
          <label>
            {t('desk.form.note')}
            <input
              ref={(el) => {
                if (!first.current) first.current = el;
              }}
              value={note}
              required={p.action === 'supervise'}
              maxLength={500}
              onChange={(e) => setNote(e.target.value)}
              data-testid="action-note"
            />
          </label>
        )}
        {error && (
          <p className="error" role="alert" data-testid="action-error">
            {error}
          </p>
        )}
        <div className="desk-dialog-buttons">
          <button
            type="submit"
            disabled={busy}
            data-testid="action-submit"
            ref={(el) => {
              if (!first.current) first.current = el;
            }}
          >
            {t('desk.form.submit')}
          </button>
          <button type="button" onClick={p.onClose} data-testid="action-cancel">
            {t('desk.form.cancel')}
          </button>
        </div>
      </form>
    </div>
  );
}

interface BulkProps {
  rows: DeskRow[];
  names: Names;
  reference: ReferenceView | null;
  locale: UiLocale;
  onSubmit: (assignee: (row: DeskRow) => { kind: 'officer' | 'department'; id: string }) => Promise<void>;
  onClose: () => void;
}

/** Dispatch several cases at once: each to its category's department, or all to one department. */
export function BulkDispatchDialog(p: BulkProps) {
  const { t, locale } = useI18n();
  const [department, setDepartment] = useState('');
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLSelectElement | null>(null);
  useEffect(() => first.current?.focus(), []);
  const submit = (): void => {
    if (busy) return;
    setBusy(true);
    void p
      .onSubmit((row) => ({
        kind: 'department',
        id: department || p.names.category.get(row.categoryCode)?.departmentCode || 'city_management',
      }))
      .then(() => p.onClose());
  };
  const onKey = useDialogKeys(p.onClose, submit);
  return (
    <div className="desk-modal" role="presentation">
      <form
        className="dialog desk-dialog"
        role="dialog"
        aria-modal="true"
        data-testid="desk-bulk-dialog"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        onKeyDown={onKey}
      >
        <h2>{t('desk.action.bulkDispatch')}</h2>
        <p>{t('desk.form.bulkCount', { n: p.rows.length })}</p>
        <ul className="desk-bulk-list">
          {p.rows.slice(0, 8).map((r) => (
            <li key={r.id}>
              <span className="mono">{r.id}</span> · {categoryLabel(p.names, r.categoryCode, locale)} →{' '}
              {assigneeName(
                p.names,
                `department:${department || p.names.category.get(r.categoryCode)?.departmentCode || ''}`,
                locale,
                t,
              )}
            </li>
          ))}
          {p.rows.length > 8 && <li>…</li>}
        </ul>
        <label>
          {t('desk.form.department')}
          <select
            ref={first}
            value={department}
            onChange={(e) => setDepartment(e.target.value)}
            data-testid="bulk-department"
          >
            <option value="">{t('desk.form.bulkDept')}</option>
            {(p.reference?.departments ?? [])
              .filter((d) => d.scopeCode === undefined) // city bureaus: units are picked case by case
              .map((d) => (
                <option key={d.code} value={d.code}>
                  {locale === 'zh-CN' ? d.name : d.nameEn}
                </option>
              ))}
          </select>
        </label>
        <div className="desk-dialog-buttons">
          <button type="submit" disabled={busy} data-testid="bulk-submit">
            {t('desk.form.submit')}
          </button>
          <button type="button" onClick={p.onClose}>
            {t('desk.form.cancel')}
          </button>
        </div>
      </form>
    </div>
  );
}
