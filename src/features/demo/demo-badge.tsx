export function DemoBadge() {
  return (
    <span className="rounded-full bg-amber-100 px-2.5 py-0.5 text-xs font-semibold uppercase tracking-wide text-amber-900 ring-1 ring-inset ring-amber-400">
      Demo
    </span>
  );
}
