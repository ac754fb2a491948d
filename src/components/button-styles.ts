const base =
  'inline-flex items-center justify-center gap-1 rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-50';

export const buttonStyles = {
  primary: `${base} bg-indigo-700 text-white hover:bg-indigo-800`,
  secondary: `${base} bg-white text-slate-800 ring-1 ring-inset ring-slate-300 hover:bg-slate-50`,
  danger: `${base} bg-white text-red-800 ring-1 ring-inset ring-red-300 hover:bg-red-50`,
};
