import { type ReactNode, useEffect, useRef } from 'react';
import './dialog.css';

interface Props {
  title: string;
  onClose: () => void;
  children: ReactNode;
  wide?: boolean;
}

/** A modal built on the native <dialog>: focus trap and Escape come for free. */
export function Dialog({ title, onClose, children, wide }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      className={wide ? 'dialog dialog-wide' : 'dialog'}
      onClose={onClose}
      onCancel={(ev) => {
        ev.preventDefault();
        onClose();
      }}
    >
      <header className="dialog-head">
        <h2>{title}</h2>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="dialog-body">{children}</div>
    </dialog>
  );
}

/**
 * Asks before something that cannot be undone, in the page's own modal (not the browser's `confirm`, which
 * names the site, cannot be styled and blocks the page): resolves true for the confirm button, false for
 * Cancel or Escape. What is behind it cannot be reached meanwhile (a native modal <dialog>).
 */
export function confirmAction(
  message: string,
  confirmLabel = 'Yes',
  dismissLabel = 'Cancel',
): Promise<boolean> {
  const dialog = document.createElement('dialog');
  dialog.className = 'dialog';
  dialog.dataset.testid = 'confirm-dialog';
  const body = document.createElement('div');
  body.className = 'dialog-body';
  const text = document.createElement('p');
  text.textContent = message;
  const actions = document.createElement('div');
  actions.className = 'dialog-actions';
  const cancel = document.createElement('button');
  cancel.type = 'button';
  cancel.textContent = dismissLabel;
  const ok = document.createElement('button');
  ok.type = 'button';
  ok.className = 'primary';
  ok.textContent = confirmLabel;
  ok.dataset.testid = 'confirm-yes';
  actions.append(cancel, ok);
  body.append(text, actions);
  dialog.append(body);
  document.body.append(dialog);
  return new Promise((resolve) => {
    const done = (answer: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    cancel.addEventListener('click', () => done(false));
    ok.addEventListener('click', () => done(true));
    dialog.addEventListener('cancel', (ev) => {
      ev.preventDefault();
      done(false);
    });
    dialog.showModal();
    cancel.focus();
  });
}

/** The end of a dialog's form: the server's error, Cancel, and the submit button. */
export function FormActions(props: {
  error: string | null;
  busy: boolean;
  label: string;
  busyLabel: string;
  onCancel: () => void;
}) {
  return (
    <>
      {props.error && <p className="form-error">{props.error}</p>}
      <div className="dialog-actions">
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={props.busy}>
          {props.busy ? props.busyLabel : props.label}
        </button>
      </div>
    </>
  );
}
