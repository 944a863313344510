/** A touch keypad for amounts, quantities, codes and PINs. */
export type PadKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '00' | '.' | 'back' | 'clear';

const DIGITS: PadKey[] = ['7', '8', '9', '4', '5', '6', '1', '2', '3'];

export function applyKey(value: string, key: PadKey, opts: { decimals: number; maxLength: number }): string {
  if (key === 'clear') return '';
  if (key === 'back') return value.slice(0, -1);
  if (key === '.') return opts.decimals > 0 && !value.includes('.') ? (value === '' ? '0.' : value + '.') : value;
  const next = value + key;
  const dot = next.indexOf('.');
  if (dot >= 0 && next.length - dot - 1 > opts.decimals) return value;
  return next.length > opts.maxLength ? value : next;
}

export function Keypad(props: { onKey: (k: PadKey) => void; decimals?: boolean; labels: { clear: string; back: string } }) {
  const key = (k: PadKey, label: string = k, cls = 'pad-key') => (
    <button type="button" key={k} className={cls} onClick={() => props.onKey(k)}>
      {label}
    </button>
  );
  return (
    <div className="keypad">
      {DIGITS.map((d) => key(d))}
      {props.decimals ? key('.') : key('00')}
      {key('0')}
      {key('back', '⌫')}
      {key('clear', props.labels.clear, 'pad-key wide')}
    </div>
  );
}
