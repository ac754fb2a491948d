/** One labelled filter of a list: a native select whose empty choice ("All …") means no filter. */
export function FilterSelect<Value extends string>({
  label,
  value,
  options,
  allLabel,
  optionLabel = (option) => option,
  onChange,
}: {
  label: string;
  value: Value | undefined;
  options: readonly Value[];
  /** The choice that clears the filter; without it, one of `options` is always chosen. */
  allLabel?: string;
  optionLabel?: (option: Value) => string;
  onChange: (value: Value | undefined) => void;
}) {
  return (
    <label className="flex flex-col text-sm font-medium text-slate-800">
      {label}
      <select
        className="mt-1 rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm font-normal"
        value={value ?? ''}
        onChange={(event) => onChange((event.target.value || undefined) as Value | undefined)}
      >
        {allLabel !== undefined ? <option value="">{allLabel}</option> : null}
        {options.map((option) => (
          <option key={option} value={option}>
            {optionLabel(option)}
          </option>
        ))}
      </select>
    </label>
  );
}
