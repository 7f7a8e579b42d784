// The queue's filter row: free text (`/` focuses it), state, category, priority, area within the
// seat's scope, source, deadline, and the sort order.
import { useMemo, type RefObject } from 'react';
import type { ReferenceView } from '../../../src-shared/ipc/contract';
import { CASE_SOURCES, PRIORITIES, type CaseState } from '../../../src-shared/domain/case-model';
import { isWithin } from '../../../src-shared/domain/codes';
import { DESK_SORTS, type DeskFilter, type DeskSort } from '../../../src-shared/desk/queue';
import { useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';

const STATES: CaseState[] = [
  'reported',
  'registered',
  'returned',
  'dispatched',
  'handling',
  'suspended',
  'feedback',
];

export function DeskFilters({
  filter,
  onFilter,
  sort,
  onSort,
  reference,
  scopeCode,
  search,
}: {
  filter: DeskFilter;
  onFilter: (patch: Partial<DeskFilter>) => void;
  sort: DeskSort;
  onSort: (sort: DeskSort) => void;
  reference: ReferenceView | null;
  scopeCode: string;
  search: RefObject<HTMLInputElement | null>;
}) {
  const { t, locale } = useI18n();
  const areaOptions = useMemo(
    () =>
      (reference?.divisions ?? [])
        .filter((d) => d.level !== 'city' && isWithin(d.code, scopeCode) && d.code !== scopeCode)
        .sort((a, b) => a.code.localeCompare(b.code)),
    [reference, scopeCode],
  );
  const categoryOptions = useMemo(
    () => [...(reference?.categories ?? [])].sort((a, b) => a.code.localeCompare(b.code)),
    [reference],
  );
  return (
    <div className="desk-filters">
      <input
        ref={search}
        placeholder={t('desk.filter.search')}
        value={filter.text ?? ''}
        onChange={(e) => onFilter({ text: e.target.value })}
        data-testid="desk-search"
      />
      <FilterSelect
        value={filter.state}
        onChange={(state) => onFilter({ state: state as CaseState | null })}
        label={t('desk.filter.state')}
        testId="desk-filter-state"
        options={STATES.map((s) => ({ value: s, label: t(`map.state.${s}` as MessageKey) }))}
      />
      <FilterSelect
        value={filter.category}
        onChange={(category) => onFilter({ category })}
        label={t('desk.filter.category')}
        testId="desk-filter-category"
        options={categoryOptions.map((c) => ({
          value: c.code,
          label: locale === 'zh-CN' ? c.name : c.nameEn,
        }))}
      />
      <FilterSelect
        value={filter.priority}
        onChange={(priority) => onFilter({ priority: priority as DeskFilter['priority'] })}
        label={t('desk.filter.priority')}
        testId="desk-filter-priority"
        options={PRIORITIES.map((v) => ({ value: v, label: t(`map.priority.${v}` as MessageKey) }))}
      />
      <FilterSelect
        value={filter.area}
        onChange={(area) => onFilter({ area })}
        label={t('desk.filter.area')}
        testId="desk-filter-area"
        options={areaOptions.map((d) => ({ value: d.code, label: d.name }))}
      />
      <FilterSelect
        value={filter.source}
        onChange={(source) => onFilter({ source })}
        label={t('desk.filter.source')}
        testId="desk-filter-source"
        options={CASE_SOURCES.map((v) => ({ value: v, label: t(`desk.source.${v}` as MessageKey) }))}
      />
      <FilterSelect
        value={filter.deadline}
        onChange={(deadline) => onFilter({ deadline: deadline as DeskFilter['deadline'] })}
        label={t('desk.filter.deadline')}
        testId="desk-filter-deadline"
        options={(['overdue', 'red', 'amber'] as const).map((d) => ({
          value: d,
          label: t(`desk.deadline.${d}` as MessageKey),
        }))}
      />
      <select
        value={sort}
        onChange={(e) => onSort(e.target.value as DeskSort)}
        aria-label={t('desk.sort')}
        data-testid="desk-sort"
      >
        {DESK_SORTS.map((s) => (
          <option key={s} value={s}>
            {t(`desk.sort.${s}` as MessageKey)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** One filter: its first option is "any" (no filter), named by the filter's label. */
function FilterSelect(p: {
  value: string | null | undefined;
  onChange: (value: string | null) => void;
  label: string;
  testId: string;
  options: readonly { value: string; label: string }[];
}) {
  const { t } = useI18n();
  return (
    <select
      value={p.value ?? ''}
      onChange={(e) => p.onChange(e.target.value || null)}
      aria-label={p.label}
      data-testid={p.testId}
    >
      <option value="">
        {p.label}: {t('desk.filter.any')}
      </option>
      {p.options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}
