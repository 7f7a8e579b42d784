// The banner that says the link to the dispatch server is down and since when.
import type { ConnectionState } from '../../../src-shared/ipc/contract';
import { formatShanghai, useI18n } from '../i18n';

/** Not for the first seconds of a start or a reconnect: a link that comes up at once is not "down". */
export const BANNER_AFTER_MS = 3_000;

export function OfflineBanner({ connection, now }: { connection: ConnectionState | null; now: number }) {
  const { t, locale } = useI18n();
  if (!connection || connection.status !== 'offline' || connection.refused) return null;
  const since = connection.downSince ?? null;
  if (since !== null && now - since < BANNER_AFTER_MS) return null;
  const ago = (ms: number): string => {
    const s = Math.max(0, Math.round(ms / 1000));
    return s < 60 ? t('offline.ago.sec', { n: s }) : t('offline.ago.min', { n: Math.floor(s / 60) });
  };
  return (
    <p className="offline-banner" role="alert" data-testid="offline-banner" data-since={since ?? ''}>
      {since === null
        ? t('offline.banner.never')
        : t('offline.banner', { since: formatShanghai(since, locale), ago: ago(now - since) })}
    </p>
  );
}
