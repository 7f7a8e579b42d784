// The workstation settings screen: the whole window at first run (opened by the shell
// as ?window=settings&firstRun=1), later opened from the header by the admin role. The main
// side decides who may save and validates; this form only shows and sends.
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import type { UiLocale } from '../../../src-shared/ipc/contract';
import type { SettingsView as View, WorkstationSettings } from '../../../src-shared/ipc/settings-view';
import { I18nContext, initialLocale, saveLocale, translator, useI18n, type I18n } from '../i18n';
import { bridge } from '../platform/bridge';
import { useSettings } from './use-settings';
import './settings.css';

const lines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

interface Draft {
  servers: string;
  caFile: string;
  workstationName: string;
  language: UiLocale;
  demo: boolean;
  externalHosts: string;
}

const draftOf = (s: WorkstationSettings): Draft => ({
  servers: s.servers.join('\n'),
  caFile: s.caFile ?? '',
  workstationName: s.workstationName,
  language: s.language,
  demo: s.demo,
  externalHosts: s.externalHosts.join('\n'),
});

function ServerLine({ view }: { view: View }) {
  const { t } = useI18n();
  const s = view.server;
  const text =
    s.demo === 'starting'
      ? t('settings.server.demoStarting')
      : s.demo === 'running'
        ? t('settings.server.demoRunning', { url: s.url ?? '' })
        : s.demo === 'failed'
          ? t('settings.server.demoFailed', { error: s.error ?? '' })
          : s.url === null
            ? t('settings.server.none')
            : s.reachable
              ? t('settings.server.ok', { url: s.url })
              : t('settings.server.down', { url: s.url });
  const bad = s.demo === 'failed' || s.reachable === false;
  return (
    <p className={bad ? 'error' : 'muted'} data-testid="settings-server" role="status">
      {text}
    </p>
  );
}

export function SettingsForm(props: { firstRun: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { settings, reload } = useSettings(props.firstRun ? 2000 : 0);
  const [edited, setDraft] = useState<Draft | null>(null);
  const [status, setStatus] = useState<
    { kind: 'idle' | 'saving' | 'saved' } | { kind: 'error'; message: string }
  >({ kind: 'idle' });

  const view = settings.state === 'ready' ? settings.view : null;
  // The form starts from the saved settings; once edited it keeps the edits.
  const draft = edited ?? (view ? draftOf(view.settings) : null);

  if (settings.state === 'loading') return <p className="muted">{t('shell.loading')}</p>;
  if (settings.state === 'unavailable' || !view)
    return (
      <p className="muted" data-testid="settings-unavailable">
        {t('settings.unavailable')}
      </p>
    );
  if (!draft) return null;

  const locked = (key: keyof WorkstationSettings): boolean => !view.canEdit || view.managed.includes(key);
  const managedNote = (key: keyof WorkstationSettings) =>
    view.managed.includes(key) ? <span className="muted small"> · {t('settings.managed')}</span> : null;

  const save = async (changes: Partial<WorkstationSettings>): Promise<void> => {
    setStatus({ kind: 'saving' });
    const r = await bridge().call('settings.save', changes);
    if (!r.ok) return setStatus({ kind: 'error', message: `${r.error.code}: ${r.error.message}` });
    setStatus({ kind: 'saved' });
    setDraft(draftOf(r.data.settings));
    i18n.setLocale(r.data.settings.language);
    reload();
  };
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    void save({
      servers: lines(draft.servers),
      caFile: draft.caFile.trim() || null,
      workstationName: draft.workstationName.trim(),
      language: draft.language,
      demo: draft.demo,
      externalHosts: lines(draft.externalHosts),
    });
  };
  const set = <K extends keyof Draft>(key: K, value: Draft[K]): void => setDraft({ ...draft, [key]: value });

  return (
    <form className="panel settings" onSubmit={submit} data-testid="settings-form">
      <h2>{view.firstRun ? t('settings.firstRun.title') : t('settings.title')}</h2>
      {view.firstRun && (
        <section data-testid="first-run">
          <p>{t('settings.firstRun.intro')}</p>
          <button
            type="button"
            className="primary"
            data-testid="start-demo"
            disabled={status.kind === 'saving' || locked('demo')}
            onClick={() => void save({ demo: true, language: draft.language })}
          >
            {t('settings.firstRun.demo')}
          </button>
          <p className="muted small">{t('settings.firstRun.demoHint')}</p>
        </section>
      )}
      <ServerLine view={view} />
      {!view.canEdit && (
        <p className="warning" data-testid="settings-readonly">
          {t('settings.readOnly')}
        </p>
      )}
      {view.deploymentFile && (
        <p className="muted small">{t('settings.deployment', { file: view.deploymentFile })}</p>
      )}
      {view.problems.length > 0 && (
        <div className="error" role="alert" data-testid="settings-problems">
          {t('settings.problems')}
          <ul>
            {view.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      )}
      <label>
        {t('settings.servers')}
        {managedNote('servers')}
        <textarea
          data-testid="settings-servers"
          rows={3}
          value={draft.servers}
          disabled={locked('servers')}
          placeholder="https://dispatch.example.gov.cn:7420"
          onChange={(e) => set('servers', e.target.value)}
        />
      </label>
      <label>
        {t('settings.caFile')}
        {managedNote('caFile')}
        <input
          data-testid="settings-ca"
          value={draft.caFile}
          disabled={locked('caFile')}
          placeholder="C:\GridConsole\dispatch-ca.pem"
          onChange={(e) => set('caFile', e.target.value)}
        />
      </label>
      <label>
        {t('settings.workstationName')}
        {managedNote('workstationName')}
        <input
          data-testid="settings-name"
          value={draft.workstationName}
          maxLength={64}
          disabled={locked('workstationName')}
          onChange={(e) => set('workstationName', e.target.value)}
        />
      </label>
      <label>
        {t('settings.language')}
        {managedNote('language')}
        <select
          data-testid="settings-language"
          value={draft.language}
          disabled={locked('language')}
          onChange={(e) => set('language', e.target.value === 'en' ? 'en' : 'zh-CN')}
        >
          <option value="zh-CN">简体中文</option>
          <option value="en">English</option>
        </select>
      </label>
      <label className="checkbox">
        <input
          type="checkbox"
          data-testid="settings-demo"
          checked={draft.demo}
          disabled={locked('demo')}
          onChange={(e) => set('demo', e.target.checked)}
        />
        {t('settings.demo')}
        {managedNote('demo')}
      </label>
      <label>
        {t('settings.externalHosts')}
        {managedNote('externalHosts')}
        <textarea
          data-testid="settings-hosts"
          rows={2}
          value={draft.externalHosts}
          disabled={locked('externalHosts')}
          placeholder="www.gov.cn"
          onChange={(e) => set('externalHosts', e.target.value)}
        />
      </label>
      <p className={view.keyStorage.secure ? 'muted small' : 'warning'} data-testid="settings-key">
        {view.keyStorage.secure
          ? t('settings.key.secure', { kind: view.keyStorage.kind })
          : t('settings.key.insecure', { note: view.keyStorage.note ?? view.keyStorage.kind })}
      </p>
      {status.kind === 'error' && (
        <p className="error" role="alert" data-testid="settings-error">
          {status.message}
        </p>
      )}
      {status.kind === 'saved' && (
        <p className="muted" role="status">
          {t('settings.saved')}
        </p>
      )}
      <button
        type="submit"
        className="primary"
        data-testid="settings-save"
        disabled={!view.canEdit || status.kind === 'saving'}
      >
        {status.kind === 'saving' ? t('settings.saving') : t('settings.save')}
      </button>
    </form>
  );
}

/** The settings window's root (`?window=settings`): its own language context, no views. */
export function SettingsApp() {
  const [locale, setLocaleState] = useState<UiLocale>(initialLocale);
  const firstRun = new URLSearchParams(location.search).get('firstRun') === '1';
  const i18n = useMemo<I18n>(
    () => ({
      locale,
      t: translator(locale),
      setLocale: (l) => {
        saveLocale(l);
        setLocaleState(l);
      },
    }),
    [locale],
  );
  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = `${i18n.t('app.title')} · ${i18n.t('settings.title')}`;
    document.getElementById('root')?.setAttribute('data-app-state', 'ready');
  }, [locale, i18n]);
  return (
    <I18nContext.Provider value={i18n}>
      <div className="shell" data-testid="settings-window">
        <main className="workspace">
          <SettingsForm firstRun={firstRun} />
        </main>
      </div>
    </I18nContext.Provider>
  );
}

/** The window is the settings window. */
export const isSettingsWindow = (): boolean =>
  typeof location !== 'undefined' && new URLSearchParams(location.search).get('window') === 'settings';
