import type { ButtonHTMLAttributes } from "react";

const TONES = {
  primary: "bg-sky-700 text-white hover:bg-sky-800 border-transparent",
  secondary: "bg-white text-slate-800 hover:bg-slate-50 border-slate-300",
  danger: "bg-red-700 text-white hover:bg-red-800 border-transparent",
  quiet: "bg-transparent text-sky-800 hover:bg-sky-50 border-transparent",
} as const;

export type ButtonTone = keyof typeof TONES;

export function buttonClasses(tone: ButtonTone = "secondary", size: "sm" | "md" = "md"): string {
  const sizing = size === "sm" ? "px-2.5 py-1 text-xs" : "px-3 py-1.5 text-sm";
  return `inline-flex items-center justify-center gap-1.5 rounded-md border font-medium shadow-sm disabled:cursor-not-allowed disabled:opacity-60 ${sizing} ${TONES[tone]}`;
}

export function Button({
  tone = "secondary",
  size = "md",
  className = "",
  type = "button",
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { tone?: ButtonTone; size?: "sm" | "md" }) {
  return <button type={type} className={`${buttonClasses(tone, size)} ${className}`} {...props} />;
}
