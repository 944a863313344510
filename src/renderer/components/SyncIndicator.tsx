/**
 * The hub indicator in the status bar: synced, the sales still waiting to
 * upload, offline, or not connected to a hub; red when the hub refused the
 * journal or raised an alert, with the reason as the tooltip. It reads
 * sync.status when a cashier signs in and follows the 'sync.status' events.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { i18n as I18n } from 'i18next';
import type { TillApi } from '../../shared/contract/api';
import type { SyncStatusView } from '../../shared/contract/sync';

const TEXTS = {
  'zh-CN': { sync: { synced: '总部已同步', waiting: '待上传 {{count}} 条', offline: '总部离线', disabled: '未连接总部', alerts: '{{count}} 条同步警报' } },
  en: { sync: { synced: 'Hub synced', waiting: '{{count}} to upload', offline: 'Hub offline', disabled: 'No hub', alerts: '{{count}} sync alert(s)' } },
} as const;

function ensureTexts(i18n: I18n): void {
  if (i18n.exists('sync.synced')) return;
  for (const [lng, texts] of Object.entries(TEXTS)) i18n.addResourceBundle(lng, 'translation', texts, true, false);
}

type View = Pick<SyncStatusView, 'state' | 'queueDepth'> & { error: string | null; alerts: number };

export function SyncIndicator(props: { api: TillApi; sessionToken: string | null }) {
  const { api, sessionToken } = props;
  const { t, i18n } = useTranslation();
  ensureTexts(i18n);
  const [view, setView] = useState<View | null>(null);

  const refresh = useCallback(() => {
    if (!sessionToken) return;
    void api.call('sync.status', {}, { sessionToken }).then((r) => {
      if (r.ok) setView({ state: r.value.state, queueDepth: r.value.queueDepth, error: r.value.lastError?.message ?? null, alerts: r.value.alerts.length });
    });
  }, [api, sessionToken]);

  useEffect(() => {
    refresh();
    return api.on('sync.status', (e) => setView((v) => ({ state: e.state, queueDepth: e.queueDepth, error: e.lastError, alerts: v?.alerts ?? 0 })));
  }, [api, refresh]);

  if (!view) return null;
  const label = view.state === 'disabled' ? t('sync.disabled') : view.state === 'offline' ? t('sync.offline') : view.queueDepth > 0 ? t('sync.waiting', { count: view.queueDepth }) : t('sync.synced');
  const queued = view.state === 'offline' && view.queueDepth > 0 ? ` · ${t('sync.waiting', { count: view.queueDepth })}` : '';
  const bad = view.alerts > 0 || (view.state === 'offline' && view.error !== null);
  const title = [view.error, view.alerts ? t('sync.alerts', { count: view.alerts }) : null].filter(Boolean).join(' · ');
  return (
    <span className={`badge ${bad ? 'bad' : view.state === 'online' ? 'ok' : ''}`} data-testid="sync-status" data-state={view.state} title={title}>
      {label}
      {queued}
    </span>
  );
}
