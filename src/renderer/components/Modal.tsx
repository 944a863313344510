/** A dialog over the screen; Escape closes only the topmost one (an override dialog can sit over another dialog). */
import { useEffect, useRef, type ReactNode } from 'react';

export function Modal(props: { title: string; onClose: () => void; children: ReactNode; wide?: boolean; testId?: string }) {
  const { onClose } = props;
  const overlay = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const all = document.querySelectorAll('.overlay');
      if (e.key === 'Escape' && all[all.length - 1] === overlay.current) {
        e.preventDefault();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="overlay" role="presentation" ref={overlay}>
      <div className={props.wide ? 'dialog wide' : 'dialog'} role="dialog" aria-modal="true" aria-label={props.title} data-testid={props.testId}>
        <header className="dialog-head">
          <h2>{props.title}</h2>
          <button type="button" className="icon" onClick={onClose} aria-label="close">
            ✕
          </button>
        </header>
        {props.children}
      </div>
    </div>
  );
}
