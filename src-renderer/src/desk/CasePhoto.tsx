// A case photo: bytes asked of the main side (`cases.photo`, which holds the seat's token) and
// shown from a blob: URL, so the renderer's CSP never has to allow the server's origin.
import { useEffect, useState } from 'react';
import { useI18n } from '../i18n';
import { bridge } from '../platform/bridge';

const urls = new Map<string, string>();

export function CasePhoto({ hash, label }: { hash: string; label: string }) {
  const { t } = useI18n();
  const [loaded, setLoaded] = useState<{ hash: string; url: string | null; failed: boolean } | null>(null);
  const cached = urls.get(hash) ?? null;
  useEffect(() => {
    if (urls.has(hash)) return;
    let alive = true;
    void bridge()
      .call('cases.photo', hash)
      .then((r) => {
        if (!alive) return;
        if (!r.ok) return setLoaded({ hash, url: null, failed: true });
        const blob = new Blob([r.data.bytes as Uint8Array<ArrayBuffer>], { type: r.data.mime });
        const u = URL.createObjectURL(blob);
        urls.set(hash, u); // photos are immutable: keep the URL for the session
        setLoaded({ hash, url: u, failed: false });
      });
    return () => {
      alive = false;
    };
  }, [hash]);
  const mine = loaded?.hash === hash ? loaded : null;
  const url = cached ?? mine?.url ?? null;
  if (!url && mine?.failed)
    return <div className="desk-photo desk-photo-missing">{t('desk.detail.photoError')}</div>;
  return (
    <figure className="desk-photo" data-testid="desk-photo" data-loaded={url ? 'true' : 'false'}>
      {url ? <img src={url} alt={label} /> : <div className="desk-photo-missing">…</div>}
      <figcaption>{label}</figcaption>
    </figure>
  );
}
