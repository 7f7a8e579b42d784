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
      <select
        value={filter.state ?? ''}
        onChange={(e) => onFilter({ state: (e.target.value || null) as CaseState | null })}
        aria-label={t('desk.filter.state')}
        data-testid="desk-filter-state"
      >
        <option value="">
          {t('desk.filter.state')}: {t('desk.filter.any')}
        </option>
        {STATES.map((s) => (
          <option key={s} value={s}>
            {t(`map.state.${s}` as MessageKey)}
          </option>
        ))}
      </select>
      <select
        value={filter.category ?? ''}
        onChange={(e) => onFilter({ category: e.target.value || null })}
        aria-label={t('desk.filter.category')}
        data-testid="desk-filter-category"
      >
        <option value="">
          {t('desk.filter.category')}: {t('desk.filter.any')}
        </option>
        {categoryOptions.map((c) => (
          <option key={c.code} value={c.code}>
            {locale === 'zh-CN' ? c.name : c.nameEn}
          </option>
        ))}
      </select>
      <select
        value={filter.priority ?? ''}
        onChange={(e) => onFilter({ priority: (e.target.value || null) as DeskFilter['priority'] })}
        aria-label={t('desk.filter.priority')}
        data-testid="desk-filter-priority"
      >
        <option value="">
          {t('desk.filter.priority')}: {t('desk.filter.any')}
        </option>
        {PRIORITIES.map((v) => (
          <option key={v} value={v}>
            {t(`map.priority.${v}` as MessageKey)}
          </option>
        ))}
      </select>
      <select
        value={filter.area ?? ''}
        onChange={(e) => onFilter({ area: e.target.value || null })}
        aria-label={t('desk.filter.area')}
        data-testid="desk-filter-area"
      >
        <option value="">
          {t('desk.filter.area')}: {t('desk.filter.any')}
        </option>
        {areaOptions.map((d) => (
          <option key={d.code} value={d.code}>
            {d.name}
          </option>
        ))}
      </select>
      <select
        value={filter.source ?? ''}
        onChange={(e) => onFilter({ source: e.target.value || null })}
        aria-label={t('desk.filter.source')}
        data-testid="desk-filter-source"
      >
        <option value="">
          {t('desk.filter.source')}: {t('desk.filter.any')}
        </option>
        {CASE_SOURCES.map((s) => (
          <option key={s} value={s}>
            {t(`desk.source.${s}` as MessageKey)}
          </option>
        ))}
      </select>
      <select
        value={filter.deadline ?? ''}
        onChange={(e) => onFilter({ deadline: (e.target.value || null) as DeskFilter['deadline'] })}
        aria-label={t('desk.filter.deadline')}
        data-testid="desk-filter-deadline"
      >
        <option value="">
          {t('desk.filter.deadline')}: {t('desk.filter.any')}
        </option>
        {(['overdue', 'red', 'amber'] as const).map((d) => (
          <option key={d} value={d}>
            {t(`desk.deadline.${d}` as MessageKey)}
          </option>
        ))}
      </select>
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
