// The dispatch form's unit choice (issue 17 §3): the units the category's 权责清单 level allows
// within this seat's jurisdiction, grouped 村（社区）委会 / 镇街（园区）部门 / 市直部门, the
// recommended one first (src-shared/domain/handling-units.ts dispatchUnits); and, for a first
// dispatch, 联合执法 — co-units that assist the lead (their area and jurisdiction are checked,
// not their level). The server and the outbox run the same rule on what is sent.
import type { Department } from '../../../src-shared/protocol/entities';
import type { UiLocale } from '../../../src-shared/ipc/contract';
import {
  HANDLING_LEVELS,
  MAX_CO_UNITS,
  dispatchUnits,
  handlingRuleOf,
  unitLevelOf,
  unitTargetProblem,
  type HandlingLevel,
} from '../../../src-shared/domain/handling-units';
import type { Case } from '../../../src-shared/protocol/entities';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';

const RANK: Record<HandlingLevel, number> = { village: 0, town: 1, city: 2 };

/** The units the form offers, best first, and those that may assist (local units first). */
export function unitChoices(
  c: Case,
  departments: readonly Department[],
  seatScope: string,
  bureau: string | null,
): { leads: Department[]; assist: Department[] } {
  return {
    leads: dispatchUnits(c, departments, seatScope, bureau),
    assist: departments
      .filter((d) => d.code !== 'grid' && unitTargetProblem(c, d, seatScope, true) === null)
      .sort((a, b) => RANK[unitLevelOf(a)] - RANK[unitLevelOf(b)] || (a.code < b.code ? -1 : 1)),
  };
}

interface Props {
  case: Case;
  leads: readonly Department[];
  assist: readonly Department[];
  lead: string;
  onLead: (code: string) => void;
  /** null: no joint handling offered (a reassign). */
  coUnits: readonly string[] | null;
  joint: boolean;
  onJoint: (on: boolean) => void;
  onCoUnits: (codes: string[]) => void;
  firstField: (el: HTMLElement | null) => void;
}

const name = (d: Department, locale: UiLocale): string => (locale === 'zh-CN' ? d.name : d.nameEn);

export function UnitPicker(p: Props) {
  const { t, locale } = useI18n();
  const level = handlingRuleOf(p.case.categoryCode).level;
  const byLevel = (l: HandlingLevel): Department[] => p.leads.filter((d) => unitLevelOf(d) === l);
  const first = p.leads[0]?.code;
  const co = p.coUnits ?? [];
  return (
    <>
      <label>
        {t('desk.form.department')}
        <select
          ref={(el) => p.firstField(el)}
          value={p.lead}
          onChange={(e) => {
            p.onLead(e.target.value);
            p.onCoUnits(co.filter((x) => x !== e.target.value));
          }}
          data-testid="dispatch-department"
        >
          {HANDLING_LEVELS.map((l) => {
            const units = byLevel(l);
            return units.length === 0 ? null : (
              <optgroup key={l} label={t(`unit.group.${l}` as MessageKey)} data-level={l}>
                {units.map((d) => (
                  <option key={d.code} value={d.code}>
                    {d.code === first ? `★ ${name(d, locale)}（${t('unit.recommended')}）` : name(d, locale)}
                  </option>
                ))}
              </optgroup>
            );
          })}
        </select>
      </label>
      <p className="muted small" data-testid="dispatch-unit-level">
        {t('unit.level', { level: t(`unit.level.${level}` as MessageKey) })}
      </p>
      {p.coUnits !== null && (
        <fieldset className="desk-checklist desk-units" data-testid="dispatch-joint">
          <legend>
            <label>
              <input
                type="checkbox"
                checked={p.joint}
                onChange={(e) => p.onJoint(e.target.checked)}
                data-testid="dispatch-joint-toggle"
              />
              {t('unit.joint')}
            </label>
          </legend>
          {p.joint && p.assist.filter((d) => d.code !== p.lead).length === 0 && (
            <p className="muted small">{t('unit.coUnitsNone')}</p>
          )}
          {p.joint &&
            p.assist
              .filter((d) => d.code !== p.lead)
              .map((d) => (
                <label key={d.code}>
                  <input
                    type="checkbox"
                    checked={co.includes(d.code)}
                    disabled={!co.includes(d.code) && co.length >= MAX_CO_UNITS}
                    onChange={(e) =>
                      p.onCoUnits(e.target.checked ? [...co, d.code] : co.filter((x) => x !== d.code))
                    }
                    data-testid="dispatch-co-unit"
                    data-code={d.code}
                  />
                  <span className="muted small">{t(`unit.group.${unitLevelOf(d)}` as MessageKey)}</span>{' '}
                  {name(d, locale)}
                </label>
              ))}
        </fieldset>
      )}
    </>
  );
}
