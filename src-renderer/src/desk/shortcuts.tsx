// The desk's keys: one letter per frequent action, and the lines the shell's `?` help lists.
import type { CaseAction } from '../../../src-shared/domain/case-model';
import { useI18n } from '../i18n';

export const ACTION_KEYS: Partial<Record<CaseAction, string>> = {
  verify: 'v',
  void: 'x',
  dispatch: 'd',
  reassign: 'r',
  escalate: 'e',
  delegate: 'g',
  supervise: 's',
  approveRequest: 'a',
  refuseRequest: 'n',
  resume: 'u',
  close: 'c',
  rework: 'w',
};

export const KEY_ACTIONS: ReadonlyMap<string, CaseAction> = new Map(
  Object.entries(ACTION_KEYS).map(([a, k]) => [k, a as CaseAction]),
);

/** The desk's lines in the shell's shortcut help (`?`). */
export function DeskShortcutHelp() {
  const { t } = useI18n();
  return (
    <>
      <li className="desk-help-title">
        <strong>{t('desk.help.title')}</strong>
      </li>
      <li>{t('desk.help.move')}</li>
      <li>{t('desk.help.open')}</li>
      <li>{t('desk.help.tabs')}</li>
      <li>{t('desk.help.actions')}</li>
      <li>{t('desk.help.recommend')}</li>
      <li>{t('desk.help.bulk')}</li>
      <li>{t('desk.help.other')}</li>
    </>
  );
}
