import { useId } from 'react';

/**
 * A choice of one among a few, as real radio buttons (arrow keys move, each option is named by
 * its label) drawn as a segmented control.
 */
export function Segmented<T extends string>({
  legend,
  value,
  options,
  onChange,
  hideLegend = false,
  disabled = false,
}: {
  legend: string;
  value: T;
  options: { value: T; label: string; hint?: string }[];
  onChange: (v: T) => void;
  hideLegend?: boolean;
  disabled?: boolean;
}) {
  const name = useId();
  return (
    <fieldset className="segmented" disabled={disabled}>
      <legend className={hideLegend ? 'visually-hidden' : 'field-label'}>{legend}</legend>
      <div className="segmented-options">
        {options.map((o) => (
          <label
            key={o.value}
            className={o.value === value ? 'segment segment-on' : 'segment'}
            title={o.hint}
          >
            <input
              type="radio"
              name={name}
              value={o.value}
              checked={o.value === value}
              onChange={() => onChange(o.value)}
            />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}
