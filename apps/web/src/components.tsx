import { createContext, FormEvent, MouseEvent, ReactNode, useContext, useEffect, useRef, useState } from 'react';
import { errorMessage } from './api';
import { ATTACHMENT_ACCEPT, chosenFiles, useUploader } from './attachments';
import { navigate } from './hooks';
import { lightLabel } from './labels';

export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} className={className}>
      {children}
    </a>
  );
}

/** A traffic light with its word, so colour is never the only signal. */
export function LightBadge({ light }: { light: string }) {
  return (
    <span className={`light light-${light}`} data-light={light}>
      <span className="dot" aria-hidden="true" />
      {lightLabel(light)}
    </span>
  );
}

export function ErrorText({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <p className="error" role="alert">
      {message}
    </p>
  );
}

export function Loading({ error }: { error?: string | null }) {
  return error ? <ErrorText message={error} /> : <p className="muted">正在加载…</p>;
}

/** 加载更多: under a paged list that goes on (the list's `more`, from getPages). */
export function LoadMore({ more, onMore }: { more: boolean; onMore: () => void }) {
  if (!more) return null;
  return (
    <div className="load-more">
      <button type="button" onClick={onMore}>
        加载更多
      </button>
    </div>
  );
}

export type FieldSpec =
  | { name: string; label: string; type: 'text' | 'textarea'; required?: boolean; placeholder?: string }
  | { name: string; label: string; type: 'number'; min: number; max: number; required?: boolean }
  | { name: string; label: string; type: 'datetime'; required?: boolean }
  /** 佐证材料: any number of files, uploaded on 确认 before the action is sent (its ids reach `run`). */
  | { name: string; label: string; type: 'files' }
  | {
      name: string;
      label: string;
      type: 'select';
      options: Array<{ value: string; label: string }>;
      required?: boolean;
    };

export interface ActionSpec {
  /** The button's text, e.g. 签收. */
  label: string;
  /** The dialog's question, e.g. 确认签收该任务？ */
  title: string;
  fields?: FieldSpec[];
  /** What the decision is about (a unit's report and its files), shown above the fields while the dialog is open. */
  context?: ReactNode;
  danger?: boolean;
  /** The button cannot be pressed now (e.g. nothing chosen); `hint` says why. */
  disabled?: boolean;
  hint?: string;
  /**
   * Throws an ApiError whose detail the dialog shows inline. `attachmentIds` are the files of the dialog's `files`
   * field, already uploaded (empty without one).
   */
  run: (values: Record<string, string>, attachmentIds: string[]) => Promise<unknown>;
}

/**
 * What the buttons inside act on, in words ("第 3 项 规范涉企行政检查 · 县审批局"): every confirmation dialog under a
 * provider names it, so a 签收 or 退回 confirmed on a long list cannot be mistaken for the row beside it.
 */
export const ActionSubject = createContext<string | null>(null);

/**
 * One click opens a confirmation dialog (a real <dialog>, so focus and Escape behave); 确认 sends the request.
 * The server's problem detail appears inside the dialog, which stays open so the user can correct the input.
 */
export function ActionButton({ action, onDone }: { action: ActionSpec; onDone: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const uploads = useUploader();
  const subject = useContext(ActionSubject);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (open && !element.open) {
      element.showModal();
      // Keyboard users start where the work is: the first field, else 确认 (Escape or 取消 still back out).
      const first =
        element.querySelector<HTMLElement>('input, textarea, select') ??
        element.querySelector<HTMLElement>('button[type=submit]');
      first?.focus();
    }
    if (!open && element.open) element.close();
  }, [open]);

  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const values: Record<string, string> = {};
    for (const [name, value] of form.entries()) if (typeof value === 'string') values[name] = value.trim();
    setBusy(true);
    setError(null);
    try {
      const attachmentIds = await uploads.upload(chosenFiles(form));
      await action.run(values, attachmentIds);
      setOpen(false);
      onDone();
    } catch (caught) {
      setError(errorMessage(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        className={action.danger ? 'danger' : undefined}
        disabled={action.disabled}
        title={action.hint}
        onClick={() => {
          setError(null);
          uploads.forget();
          setOpen(true);
        }}
      >
        {action.label}
      </button>
      <dialog ref={dialog} onClose={() => setOpen(false)} aria-label={action.title}>
        {open && (
          <form onSubmit={submit} method="dialog">
            <h3>{action.title}</h3>
            {subject && (
              <p className="dialog-subject" data-testid="dialog-subject">
                {subject}
              </p>
            )}
            {action.context && <div className="dialog-context">{action.context}</div>}
            {(action.fields ?? []).map((field) => (
              <Field key={field.name} field={field} />
            ))}
            {uploads.progress && (
              <p className="muted" role="status">
                {uploads.progress}
              </p>
            )}
            <ErrorText message={error} />
            <div className="dialog-buttons">
              <button type="button" className="secondary" onClick={() => setOpen(false)} disabled={busy}>
                取消
              </button>
              <button type="submit" className={action.danger ? 'danger' : 'primary'} disabled={busy}>
                {uploads.progress ? '上传中…' : busy ? '提交中…' : '确认'}
              </button>
            </div>
          </form>
        )}
      </dialog>
    </>
  );
}

function Field({ field }: { field: FieldSpec }) {
  const id = `field-${field.name}`;
  let input: ReactNode;
  switch (field.type) {
    case 'textarea':
      input = <textarea id={id} name={field.name} required={field.required} rows={3} placeholder={field.placeholder} />;
      break;
    case 'text':
      input = <input id={id} name={field.name} required={field.required} placeholder={field.placeholder} />;
      break;
    case 'number':
      input = (
        <input id={id} name={field.name} type="number" min={field.min} max={field.max} required={field.required} />
      );
      break;
    case 'datetime':
      input = <input id={id} name={field.name} type="datetime-local" step={1} required={field.required} />;
      break;
    case 'files':
      input = <input id={id} name={field.name} type="file" multiple accept={ATTACHMENT_ACCEPT} />;
      break;
    case 'select':
      input = (
        <select id={id} name={field.name} required={field.required} defaultValue="">
          <option value="" disabled>
            请选择
          </option>
          {field.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      );
      break;
  }
  // The label sits beside the control (not around it), so its accessible name is the label text alone.
  return (
    <div className="field">
      <label htmlFor={id}>{field.label}</label>
      {input}
    </div>
  );
}

/** A horizontal bar for a 0…1 rate or a count against a maximum: charts without a chart library. */
export function Bar({
  value,
  max = 1,
  text,
  tone,
}: {
  value: number | null;
  max?: number;
  text: string;
  tone?: string;
}) {
  const width = value == null || max <= 0 ? 0 : Math.max(0, Math.min(100, (value / max) * 100));
  return (
    <div className="bar" title={text}>
      <div className={`bar-fill ${tone ?? ''}`} style={{ width: `${width}%` }} />
      <span className="bar-text">{text}</span>
    </div>
  );
}
