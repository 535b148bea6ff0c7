/**
 * Error messages name props as TypeScript (and Java's builders) write them. This gives the
 * names the other jsii languages use, so a Python or C# user finds the prop the message means.
 */

const CONNECTIVES = new Set(['and', 'or']);

/** `launchRole` → `launch_role` (Python). */
export function toPythonName(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/** `launchRole` → `LaunchRole` (.NET and Go). */
export function toPascalName(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/**
 * The suffix for a message about `field` (one prop, or several joined by "and"/"or"), such as
 * ` [Python: launch_role; C# and Go: LaunchRole]`.
 */
export function inOtherLanguages(field: string): string {
  const words = field.split(/\s+/).filter((w) => /^[a-z][A-Za-z0-9]*$/.test(w) && !CONNECTIVES.has(w));
  if (words.length === 0) return '';
  const convert = (f: (w: string) => string) => field.replace(/[a-z][A-Za-z0-9]*/g, (w) => (CONNECTIVES.has(w) ? w : f(w)));
  return ` [props named as in TypeScript and Java; Python: ${convert(toPythonName)}; C# and Go: ${convert(toPascalName)}]`;
}
