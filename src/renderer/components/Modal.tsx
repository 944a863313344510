import { useEffect, type ReactNode } from 'react';

export function Modal(props: { title: string; onClose: () => void; children: ReactNode; wide?: boolean; testId?: string }) {
  const { onClose } = props;
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') {
        e.preventDefault();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="overlay" role="presentation">
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
