export default function themeVarsToCSS(themeVars: Record<string, string | number>, prefix?: string): Record<string, string>;
