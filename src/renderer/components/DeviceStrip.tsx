/**
 * The device status strip in the status bar: the receipt printer (ready, or
 * out of paper / offline with the receipts waiting and a reprint button), the
 * drawer while it is open, and a serial scanner's connection. It reads
 * devices.status when it mounts and again on every 'device.status' event.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { i18n as I18n } from 'i18next';
import type { TillApi } from '../../shared/contract/api';
import type { DevicesStatusView } from '../../shared/contract/devices';
import './device-strip.css';

const TEXTS = {
  'zh-CN': {
    devices: {
      printerOk: '打印机正常',
      printerLow: '打印纸将尽',
      printerPaperOut: '打印机缺纸',
      printerOffline: '打印机未连接',
      printerProblem: '打印机故障',
      waiting: '{{count}} 张小票待打印',
      reprint: '重打',
      drawerOpen: '钱箱已打开',
      scannerOk: '扫描枪已连接',
      scannerDown: '扫描枪未连接',
    },
    errors: { 'drawer-open': '钱箱未关，请先关好钱箱再开始下一单' },
  },
  en: {
    devices: {
      printerOk: 'Printer ready',
      printerLow: 'Paper running low',
      printerPaperOut: 'Printer out of paper',
      printerOffline: 'Printer not connected',
      printerProblem: 'Printer problem',
      waiting: '{{count}} receipt(s) waiting',
      reprint: 'Reprint',
      drawerOpen: 'Drawer open',
      scannerOk: 'Scanner connected',
      scannerDown: 'Scanner not connected',
    },
    errors: { 'drawer-open': 'Close the cash drawer before the next sale' },
  },
} as const;

function ensureTexts(i18n: I18n): void {
  if (i18n.exists('devices.printerOk')) return;
  for (const [lng, texts] of Object.entries(TEXTS)) i18n.addResourceBundle(lng, 'translation', texts, true, false);
}

type PrinterView = NonNullable<DevicesStatusView['printer']>;

function printerText(p: PrinterView): { key: string; bad: boolean } {
  switch (p.state) {
    case 'ready':
    case 'unknown':
      return { key: 'devices.printerOk', bad: false };
    case 'paper-near-end':
      return { key: 'devices.printerLow', bad: false };
    case 'paper-out':
      return { key: 'devices.printerPaperOut', bad: true };
    case 'disconnected':
    case 'offline':
      return { key: 'devices.printerOffline', bad: true };
    default:
      return { key: 'devices.printerProblem', bad: true };
  }
}

export function DeviceStrip(props: { api: TillApi; sessionToken: string }) {
  const { api, sessionToken } = props;
  const { t, i18n } = useTranslation();
  ensureTexts(i18n);
  const [status, setStatus] = useState<DevicesStatusView | null>(null);
  const [busy, setBusy] = useState(false);

  const refresh = useCallback(() => {
    void api.call('devices.status', {}, { sessionToken }).then((r) => r.ok && setStatus(r.value));
  }, [api, sessionToken]);

  useEffect(() => {
    refresh();
    return api.on('device.status', refresh);
  }, [api, refresh]);

  if (!status) return null;
  const { printer, drawer, scanner } = status;
  // a job that failed keeps its reason while it is retried ('printing' again), so the button does not flicker
  const waiting = status.waiting.filter((j) => j.reason !== null);
  const first = waiting[0];

  const reprint = async (): Promise<void> => {
    if (!first) return;
    setBusy(true);
    try {
      await api.call('receipt.reprint', { jobId: first.id }, { sessionToken });
    } finally {
      setBusy(false);
      refresh();
    }
  };

  const p = printer ? printerText(printer) : null;
  return (
    <span className="device-strip" data-testid="device-strip">
      {printer && p ? (
        <span className={`badge ${p.bad || waiting.length ? 'bad' : 'ok'}`} data-testid="device-printer" data-state={printer.state} title={first?.reason ?? printer.message}>
          {t(p.key)}
          {status.waiting.length ? ` · ${t('devices.waiting', { count: status.waiting.length })}` : ''}
        </span>
      ) : null}
      {first ? (
        <button className="device-reprint" data-testid="device-reprint" disabled={busy} onClick={() => void reprint()}>
          {t('devices.reprint')}
        </button>
      ) : null}
      {drawer?.state === 'open' ? (
        <span className="badge warn" data-testid="device-drawer">
          {t('devices.drawerOpen')}
        </span>
      ) : null}
      {scanner?.kind === 'serial' ? (
        <span className={`badge ${scanner.link === 'open' ? 'ok' : 'bad'}`} data-testid="device-scanner" title={scanner.message ?? scanner.target ?? ''}>
          {t(scanner.link === 'open' ? 'devices.scannerOk' : 'devices.scannerDown')}
        </span>
      ) : null}
    </span>
  );
}
