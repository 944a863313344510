/** An amount (yuan with two decimals, or a percent with two decimals) typed or tapped on a keypad; the value is integer hundredths. */
import { useTranslation } from 'react-i18next';
import { parseMinor } from '../../shared/money';
import { applyKey } from '../keypad-input';
import { Keypad } from './Keypad';

/** "12.5" -> 1250; null for an empty or unreadable entry (yuan -> fen, percent -> basis points) */
export function hundredths(text: string): number | null {
  if (text === '' || text === '.') return null;
  try {
    return parseMinor(text);
  } catch {
    return null;
  }
}

export function AmountField(props: { label: string; value: string; onChange: (v: string) => void; placeholder?: string; testId: string; autoFocus?: boolean }) {
  const { t } = useTranslation();
  return (
    <>
      <label className="field active">
        <span>{props.label}</span>
        <input
          data-testid={props.testId}
          inputMode="decimal"
          autoComplete="off"
          autoFocus={props.autoFocus}
          value={props.value}
          placeholder={props.placeholder}
          onChange={(e) => props.onChange(e.target.value.replace(/[^\d.]/g, '').slice(0, 9))}
        />
      </label>
      <Keypad decimals onKey={(k) => props.onChange(applyKey(props.value, k, { decimals: 2, maxLength: 9 }))} labels={{ clear: t('login.clear'), back: t('login.back') }} />
    </>
  );
}

/** the error of the last call, inside a dialog (the sale screen's banner is under the overlay) */
export function DialogError(props: { error: string | null }) {
  return props.error ? (
    <p className="error banner" role="alert" data-testid="ops-error">
      {props.error}
    </p>
  ) : null;
}
