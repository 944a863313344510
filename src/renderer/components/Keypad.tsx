/** A touch keypad for amounts, quantities, codes and PINs. */
import type { PadKey } from '../keypad-input';

const DIGITS: PadKey[] = ['7', '8', '9', '4', '5', '6', '1', '2', '3'];

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
