/** A row of mutually exclusive choices (pressed buttons): list scopes and similar switches. */
interface Props<V extends string> {
  /** Names the group for assistive technology. */
  label: string;
  value: V;
  options: readonly { value: V; label: string }[];
  onChange(value: V): void;
}

export function Segmented<V extends string>({ label, value, options, onChange }: Props<V>) {
  return (
    <div className="segmented" role="group" aria-label={label}>
      {options.map((o) => (
        <button key={o.value} type="button" aria-pressed={o.value === value} className={o.value === value ? 'active' : ''} onClick={() => onChange(o.value)}>
          {o.label}
        </button>
      ))}
    </div>
  );
}
