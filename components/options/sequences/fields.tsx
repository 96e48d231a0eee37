import type { ReactNode } from 'react';

export const fieldId = (key: string) => `seq-${key.replace(/[^\w-]/g, '-')}`;
export const errorId = (key: string) => `${fieldId(key)}-error`;

/** The props that tie a control to its error message. */
export function errorProps(key: string, error: string | undefined) {
  return {
    id: fieldId(key),
    'aria-invalid': error ? true : undefined,
    'aria-describedby': error ? errorId(key) : undefined,
  } as const;
}

export function FieldError({ fieldKey, error }: { fieldKey: string; error: string | undefined }) {
  if (!error) return null;
  return (
    <p id={errorId(fieldKey)} className="tl-seq-field-error">
      {error}
    </p>
  );
}

/** A labelled control with its error under it. */
export function Field({
  fieldKey,
  label,
  error,
  className,
  children,
}: {
  fieldKey: string;
  label: string;
  error?: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <div className={`tl-seq-field ${className ?? ''}`}>
      <label htmlFor={fieldId(fieldKey)}>{label}</label>
      {children}
      <FieldError fieldKey={fieldKey} error={error} />
    </div>
  );
}
