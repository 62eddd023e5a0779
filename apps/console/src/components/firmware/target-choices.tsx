"use client";

/** A group of checkboxes choosing what a campaign targets (models, sites, tags); none chosen means "all". */
export function TargetChoices({
  legend,
  hint,
  options,
  chosen,
  onChange,
  empty,
  className = "",
}: {
  legend: string;
  hint?: string;
  options: readonly { value: string; label: string }[];
  chosen: readonly string[];
  onChange: (chosen: string[]) => void;
  empty?: string;
  className?: string;
}) {
  const toggle = (value: string, on: boolean) =>
    onChange(on ? [...chosen.filter((c) => c !== value), value] : chosen.filter((c) => c !== value));
  return (
    <fieldset className={className}>
      <legend className="text-sm font-medium text-slate-700">{legend}</legend>
      {hint && <p className="text-xs text-slate-500">{hint}</p>}
      {options.length === 0 && empty ? <p className="mt-1 text-sm text-slate-500">{empty}</p> : null}
      <div className="mt-1 flex max-h-40 flex-wrap gap-x-4 gap-y-1 overflow-auto">
        {options.map((o) => (
          <label key={o.value} className="flex items-center gap-1.5 text-sm">
            <input
              type="checkbox"
              checked={chosen.includes(o.value)}
              onChange={(e) => toggle(o.value, e.target.checked)}
            />
            {o.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
