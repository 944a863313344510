/**
 * Set-up, the devices step: the receipt printer, scanner, cash drawer and
 * customer display, each chosen from the ports this computer has
 * (setup.ports, the listing of `till devices list`), a network printer by
 * address, or a port path typed in; each tried from here (setup.testDevice)
 * before it is saved.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MethodOutput } from '../../shared/contract';
import type { TillApi } from '../../shared/contract/api';
import type { DeviceTestAction, SetupDevices as Chosen } from '../../shared/contract/setup';
import { useErrorText } from '../use-till';

type Port = MethodOutput<'setup.ports'>['ports'][number];
type Result = MethodOutput<'setup.testDevice'>;

/** a select's value: '' (none), 'port:PATH', 'tcp', 'path', 'wedge' or 'printer' */
interface Pick {
  choice: string;
  text: string;
}

const NONE: Pick = { choice: '', text: '' };

function printerPick(d: Chosen['printer'], ports: Port[]): Pick {
  if (!d) return NONE;
  if (d.address.startsWith('tcp://')) return { choice: 'tcp', text: d.address.slice('tcp://'.length) };
  const p = ports.find((x) => `${x.kind === 'usb-printer' ? 'usb' : 'serial'}:${x.path}` === d.address);
  return p ? { choice: `port:${p.path}`, text: '' } : { choice: 'path', text: d.address };
}

function pathPick(path: string | null, ports: Port[]): Pick {
  if (path === null) return NONE;
  return ports.some((p) => p.kind === 'serial' && p.path === path) ? { choice: `port:${path}`, text: '' } : { choice: 'path', text: path };
}

/** a typed path that turns out to be one of the ports found becomes that port's choice */
function adopt(pick: Pick, found: Port[], printer: boolean): Pick {
  if (pick.choice !== 'path') return pick;
  const hit = found.find((p) => (printer ? `${p.kind === 'usb-printer' ? 'usb' : 'serial'}:${p.path}` : p.path) === pick.text && (printer || p.kind === 'serial'));
  return hit ? { choice: `port:${hit.path}`, text: '' } : pick;
}

function portPath(pick: Pick): string | null {
  if (pick.choice.startsWith('port:')) return pick.choice.slice(5);
  if (pick.choice === 'path' && pick.text.trim()) return pick.text.trim();
  return null;
}

function printerOf(pick: Pick, width: 58 | 80, ports: Port[]): Chosen['printer'] {
  if (pick.choice === 'tcp') {
    const a = pick.text.trim();
    return a ? { address: a.includes('://') ? a : `tcp://${a}`, width } : null;
  }
  if (pick.choice.startsWith('port:')) {
    const p = ports.find((x) => x.path === pick.choice.slice(5));
    return p ? { address: `${p.kind === 'usb-printer' ? 'usb' : 'serial'}:${p.path}`, width } : null;
  }
  if (pick.choice === 'path' && pick.text.trim()) {
    const a = pick.text.trim();
    return { address: /^(serial|usb|tcp):/.test(a) ? a : `serial:${a}`, width };
  }
  return null;
}

export function SetupDevices(props: { api: TillApi; sessionToken: string; devices: Chosen; onChange: (d: Chosen) => void; onNext: () => void }) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const ctx = { sessionToken: props.sessionToken };
  const [ports, setPorts] = useState<Port[] | null>(null);
  const [notes, setNotes] = useState<string[]>([]);
  // what is saved, shown at once; the ports found later only turn typed paths into their entries
  const d0 = props.devices;
  const [printer, setPrinter] = useState<Pick>(() => printerPick(d0.printer, []));
  const [width, setWidth] = useState<58 | 80>(d0.printer?.width ?? 80);
  const [scanner, setScanner] = useState<Pick>(() => (d0.scanner ? (d0.scanner.kind === 'wedge' ? { choice: 'wedge', text: '' } : pathPick(d0.scanner.path, [])) : NONE));
  const [drawer, setDrawer] = useState<Pick>(() => (d0.drawer ? (d0.drawer.kind === 'printer' ? { choice: 'printer', text: '' } : pathPick(d0.drawer.path, [])) : NONE));
  const [display, setDisplay] = useState<Pick>(() => pathPick(d0.display?.path ?? null, []));
  const [results, setResults] = useState<Partial<Record<DeviceTestAction, Result>>>({});
  const [testing, setTesting] = useState<DeviceTestAction | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void props.api.call('setup.ports', {}, ctx).then((r) => {
      if (!r.ok) return setError(errorText(r.error));
      const found = r.value.ports;
      setPorts(found);
      setNotes(r.value.notes);
      setPrinter((p) => adopt(p, found, true));
      setScanner((p) => adopt(p, found, false));
      setDrawer((p) => adopt(p, found, false));
      setDisplay((p) => adopt(p, found, false));
    });
    // the listing is read once, when the step opens
  }, []);

  const list = ports ?? [];
  const chosen = (over: Partial<{ printer: Pick; width: 58 | 80; scanner: Pick; drawer: Pick; display: Pick }> = {}): Chosen => {
    const p = over.printer ?? printer;
    const s = over.scanner ?? scanner;
    const d = over.drawer ?? drawer;
    const v = over.display ?? display;
    const scannerPath = portPath(s);
    const drawerPath = portPath(d);
    const displayPath = portPath(v);
    return {
      printer: printerOf(p, over.width ?? width, list),
      scanner: s.choice === 'wedge' ? { kind: 'wedge' } : scannerPath ? { kind: 'serial', path: scannerPath } : null,
      drawer: d.choice === 'printer' ? { kind: 'printer' } : drawerPath ? { kind: 'serial', path: drawerPath } : null,
      display: displayPath ? { path: displayPath } : null,
    };
  };
  const update = (over: Parameters<typeof chosen>[0]) => props.onChange(chosen(over));

  const test = async (action: DeviceTestAction): Promise<void> => {
    setTesting(action);
    setError(null);
    const r = await props.api.call('setup.testDevice', { devices: props.devices, action }, ctx);
    setTesting(null);
    if (!r.ok) return setError(errorText(r.error));
    setResults((x) => ({ ...x, [action]: r.value }));
  };

  const serialPorts = list.filter((p) => p.kind === 'serial');
  const portOptions = (kinds: Port['kind'][]) =>
    list
      .filter((p) => kinds.includes(p.kind))
      .map((p) => (
        <option key={p.path} value={`port:${p.path}`}>
          {p.path}
          {p.manufacturer ? ` (${p.manufacturer})` : ''}
        </option>
      ));

  const result = (action: DeviceTestAction) => {
    const r = results[action];
    if (!r) return null;
    const state = r.state ? t(`setup.devices.state.${r.state}`, { defaultValue: '' }) : '';
    return (
      <div className={r.ok ? 'setup-ok' : 'error'} data-testid={`setup-result-${action}`} data-ok={r.ok ? 'yes' : 'no'}>
        {t(r.ok ? `setup.devices.ok.${action}` : `setup.devices.fail.${action}`)}
        {state ? ` · ${state}` : ''}
        <details>
          <summary>{t('setup.devices.detail')}</summary>
          <code>{r.message}</code>
        </details>
      </div>
    );
  };

  const testButton = (action: DeviceTestAction, enabled: boolean) => (
    <button type="button" data-testid={`setup-test-${action}`} disabled={!enabled || testing !== null} onClick={() => void test(action)}>
      {t('setup.devices.test')}
    </button>
  );

  const pathInput = (name: string, pick: Pick, set: (p: Pick) => void, key: 'printer' | 'scanner' | 'drawer' | 'display') =>
    pick.choice === 'path' ? (
      <input
        data-testid={`setup-${name}-path`}
        value={pick.text}
        placeholder="/dev/ttyUSB0"
        spellCheck={false}
        onChange={(e) => {
          const next = { choice: 'path', text: e.target.value };
          set(next);
          update({ [key]: next });
        }}
      />
    ) : null;

  const onSelect = (set: (p: Pick) => void, key: 'printer' | 'scanner' | 'drawer' | 'display') => (value: string) => {
    const next = { choice: value, text: '' };
    set(next);
    update({ [key]: next });
  };

  return (
    <div className="setup-step">
      <p className="muted">{t('setup.devices.hint')}</p>
      <p className="muted" data-testid="setup-ports">
        {ports === null ? t('status.connecting') : list.length ? t('setup.devices.found', { n: list.length }) : t('setup.devices.noPorts')}
      </p>
      {notes.length ? (
        <details>
          <summary>{t('setup.devices.detail')}</summary>
          {notes.map((n) => (
            <code key={n}>{n}</code>
          ))}
        </details>
      ) : null}

      <fieldset className="device-row">
        <legend>{t('setup.devices.printer')}</legend>
        <select data-testid="setup-printer-select" value={printer.choice} onChange={(e) => onSelect(setPrinter, 'printer')(e.target.value)}>
          <option value="">{t('setup.devices.none')}</option>
          {portOptions(['usb-printer', 'serial'])}
          <option value="tcp">{t('setup.devices.network')}</option>
          <option value="path">{t('setup.devices.otherPath')}</option>
        </select>
        {printer.choice === 'tcp' ? (
          <input
            data-testid="setup-printer-address"
            value={printer.text}
            placeholder="192.168.1.50:9100"
            spellCheck={false}
            onChange={(e) => {
              const next = { choice: 'tcp', text: e.target.value };
              setPrinter(next);
              update({ printer: next });
            }}
          />
        ) : null}
        {pathInput('printer', printer, setPrinter, 'printer')}
        <select
          data-testid="setup-printer-width"
          aria-label={t('setup.devices.width')}
          value={width}
          onChange={(e) => {
            const w = Number(e.target.value) === 58 ? 58 : 80;
            setWidth(w);
            update({ width: w });
          }}
        >
          <option value={80}>80 mm</option>
          <option value={58}>58 mm</option>
        </select>
        {testButton('print', props.devices.printer !== null)}
        {result('print')}
      </fieldset>

      <fieldset className="device-row">
        <legend>{t('setup.devices.scanner')}</legend>
        <select data-testid="setup-scanner-select" value={scanner.choice} onChange={(e) => onSelect(setScanner, 'scanner')(e.target.value)}>
          <option value="">{t('setup.devices.none')}</option>
          <option value="wedge">{t('setup.devices.wedge')}</option>
          {portOptions(['serial'])}
          <option value="path">{t('setup.devices.otherPath')}</option>
        </select>
        {pathInput('scanner', scanner, setScanner, 'scanner')}
        {testButton('scanner', props.devices.scanner !== null)}
        {result('scanner')}
      </fieldset>

      <fieldset className="device-row">
        <legend>{t('setup.devices.drawer')}</legend>
        <select data-testid="setup-drawer-select" value={drawer.choice} onChange={(e) => onSelect(setDrawer, 'drawer')(e.target.value)}>
          <option value="">{t('setup.devices.none')}</option>
          <option value="printer">{t('setup.devices.onPrinter')}</option>
          {portOptions(['serial'])}
          <option value="path">{t('setup.devices.otherPath')}</option>
        </select>
        {pathInput('drawer', drawer, setDrawer, 'drawer')}
        {testButton('drawer', props.devices.drawer !== null)}
        {result('drawer')}
      </fieldset>

      <fieldset className="device-row">
        <legend>{t('setup.devices.display')}</legend>
        <select data-testid="setup-display-select" value={display.choice} onChange={(e) => onSelect(setDisplay, 'display')(e.target.value)}>
          <option value="">{t('setup.devices.none')}</option>
          {serialPorts.length ? portOptions(['serial']) : null}
          <option value="path">{t('setup.devices.otherPath')}</option>
        </select>
        {pathInput('display', display, setDisplay, 'display')}
        {testButton('display', props.devices.display !== null)}
        {result('display')}
      </fieldset>

      {error ? (
        <p className="error" role="alert" data-testid="setup-devices-error">
          {error}
        </p>
      ) : null}
      <button type="button" className="primary big" data-testid="setup-next" onClick={props.onNext}>
        {t('setup.next')}
      </button>
    </div>
  );
}
