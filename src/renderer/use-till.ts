/**
 * How screens call the terminal: every call carries the session token, an
 * error becomes one translated message on screen, and an 'override-required'
 * refusal asks for a supervisor's code and PIN and repeats the call once
 * with that second credential. 'unauthenticated' goes back to the sign-in
 * screen only when the session itself ended (e.g. signed out after being
 * idle): a wrong PIN in an override or a cashier switch answers the same
 * code, so the session is checked with auth.whoami first.
 */
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallContext, TillApi } from '../shared/contract/api';
import type { MethodInput, MethodName, MethodOutput } from '../shared/contract';
import type { ErrorBody } from '../shared/errors';

export type OverrideAsk = () => Promise<CallContext['override'] | null>;

export interface Caller {
  /** the value, or null after showing the error */
  call<N extends MethodName>(method: N, input: MethodInput<N>): Promise<MethodOutput<N> | null>;
  error: string | null;
  setError(message: string | null): void;
  busy: boolean;
}

export function useErrorText(): (e: ErrorBody) => string {
  const { t } = useTranslation();
  return useCallback(
    (e: ErrorBody) => {
      const head = t(`errors.${e.code}`, { defaultValue: e.message });
      // a payment provider's refusal has a reason with its own sentence: shown instead of the terminal's English detail
      const reason = e.details?.reason;
      const why = typeof reason === 'string' ? t(`paymentReasons.${reason}`, { defaultValue: '' }) : '';
      if (why) return `${head}: ${why}`;
      return head === e.message ? head : `${head}: ${e.message}`;
    },
    [t],
  );
}

export function useCaller(api: TillApi, sessionToken: string | null, askOverride: OverrideAsk, onSignedOut: () => void): Caller {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const text = useErrorText();
  const call = useCallback(
    async <N extends MethodName>(method: N, input: MethodInput<N>): Promise<MethodOutput<N> | null> => {
      const ctx: CallContext = sessionToken ? { sessionToken } : {};
      setBusy(true);
      try {
        let r = await api.call(method, input, ctx);
        if (!r.ok && r.error.code === 'override-required') {
          const override = await askOverride();
          if (!override) return null;
          r = await api.call(method, input, { ...ctx, override });
        }
        if (!r.ok) {
          if (r.error.code === 'unauthenticated') {
            const still = await api.call('auth.whoami', {}, ctx);
            if (!still.ok && still.error.code === 'unauthenticated') onSignedOut();
          }
          setError(text(r.error));
          return null;
        }
        setError(null);
        return r.value;
      } finally {
        setBusy(false);
      }
    },
    [api, sessionToken, askOverride, onSignedOut, text],
  );
  return { call, error, setError, busy };
}
