import {
  type InputHTMLAttributes,
  type ReactNode,
  type Ref,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
  useId,
} from 'react';

type Common = { label: string; hint?: ReactNode; error?: string | null | undefined; hideLabel?: boolean };

function FieldFrame({
  id,
  label,
  hint,
  error,
  hideLabel,
  children,
}: Common & { id: string; children: ReactNode }) {
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : 'field-label'}>
        {label}
      </label>
      {children}
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

const describedBy = (id: string, c: Common) => (c.error ? `${id}-error` : c.hint ? `${id}-hint` : undefined);

export function TextField({
  label,
  hint,
  error,
  hideLabel,
  ref,
  ...rest
}: Common & InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement> }) {
  const id = useId();
  return (
    <FieldFrame id={rest.id ?? id} label={label} hint={hint} error={error} hideLabel={hideLabel ?? false}>
      <input
        id={rest.id ?? id}
        ref={ref}
        className="input"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(rest.id ?? id, { label, hint, error })}
        {...rest}
      />
    </FieldFrame>
  );
}

export function TextArea({
  label,
  hint,
  error,
  hideLabel,
  ref,
  ...rest
}: Common & TextareaHTMLAttributes<HTMLTextAreaElement> & { ref?: Ref<HTMLTextAreaElement> }) {
  const id = useId();
  return (
    <FieldFrame id={rest.id ?? id} label={label} hint={hint} error={error} hideLabel={hideLabel ?? false}>
      <textarea
        id={rest.id ?? id}
        ref={ref}
        className="input textarea"
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(rest.id ?? id, { label, hint, error })}
        {...rest}
      />
    </FieldFrame>
  );
}

export function SelectField({
  label,
  hint,
  error,
  hideLabel,
  options,
  ref,
  ...rest
}: Common &
  SelectHTMLAttributes<HTMLSelectElement> & {
    options: { value: string; label: string }[];
    ref?: Ref<HTMLSelectElement>;
  }) {
  const id = useId();
  return (
    <FieldFrame id={rest.id ?? id} label={label} hint={hint} error={error} hideLabel={hideLabel ?? false}>
      <select
        id={rest.id ?? id}
        ref={ref}
        className="input select"
        aria-describedby={describedBy(rest.id ?? id, { label, hint, error })}
        {...rest}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </FieldFrame>
  );
}

export function Checkbox({ label, ...rest }: { label: ReactNode } & InputHTMLAttributes<HTMLInputElement>) {
  return (
    <label className="checkbox">
      <input type="checkbox" {...rest} />
      <span>{label}</span>
    </label>
  );
}
