import { useId } from 'react';
import type { ApiError } from '../api';
import { Field } from '../components';
import { AU_STATES } from '../phone-kit';

/** An address as the API takes it (`AddressDto`), fields named `<prefix>.line1`, …; Australian by default. */
export function AddressFields({
  prefix,
  legend,
  error,
  initial,
  required,
}: {
  prefix: string;
  legend: string;
  error?: ApiError;
  initial?: Record<string, string> | null;
  required?: boolean;
}) {
  const stateId = useId();
  const stateField = `${prefix}.state`;
  const mine = error?.field === stateField;
  return (
    <fieldset className="address">
      <legend>{legend}</legend>
      <Field
        label="Street address"
        name={`${prefix}.line1`}
        defaultValue={initial?.line1 ?? ''}
        autoComplete="off"
        required={required}
        error={error}
      />
      <Field
        label="Unit, building (optional)"
        name={`${prefix}.line2`}
        defaultValue={initial?.line2 ?? ''}
        error={error}
      />
      <Field
        label="Suburb or town"
        name={`${prefix}.city`}
        defaultValue={initial?.city ?? ''}
        required={required}
        error={error}
      />
      <div className="field">
        <label htmlFor={stateId}>State or territory</label>
        <select
          id={stateId}
          name={stateField}
          defaultValue={initial?.state ?? ''}
          aria-invalid={mine || undefined}
          aria-describedby={mine ? `${stateId}-error` : undefined}
        >
          <option value="">Choose…</option>
          {AU_STATES.map((s) => (
            <option key={s.code} value={s.code}>
              {s.code} ({s.name})
            </option>
          ))}
        </select>
        {mine && (
          <p className="field-error" id={`${stateId}-error`}>
            {error.message}
          </p>
        )}
      </div>
      <Field
        label="Postcode"
        name={`${prefix}.postalCode`}
        inputMode="numeric"
        maxLength={4}
        defaultValue={initial?.postalCode ?? ''}
        required={required}
        error={error}
      />
      <input type="hidden" name={`${prefix}.country`} value="AU" />
    </fieldset>
  );
}
