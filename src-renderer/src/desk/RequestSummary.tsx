// The 缓办 / 延期 / 退单 request waiting for the duty leader: what is asked, by whom,
// when and why — shown on the case and in the approve / refuse dialog.
import type { CaseRequest } from '../../../src-shared/protocol/entities';
import { formatShanghai, useI18n } from '../i18n';
import type { MessageKey } from '../i18n/zh-CN';
import { actorName, type Names } from './format';

export function RequestSummary(p: { request: CaseRequest; names: Names }) {
  const { t, locale } = useI18n();
  const r = p.request;
  return (
    <div className="desk-request" data-testid="desk-request" data-kind={r.kind}>
      <strong>{t('desk.request.waiting', { kind: t(`desk.request.${r.kind}` as MessageKey) })}</strong>
      {r.extension && (
        <span data-testid="desk-request-extension">
          {' '}
          +{t(`desk.limit.${r.extension.unit}` as MessageKey, { n: r.extension.value })}
        </span>
      )}
      <div className="small">
        {t('desk.request.by', { who: actorName(p.names, r.byId, t), at: formatShanghai(r.at, locale) })}
      </div>
      <div className="small" data-testid="desk-request-reason">
        {t('desk.request.reason')}：{r.reason}
      </div>
    </div>
  );
}
