/** Values from parsed manifests, written into messages. */

/** `value` as text: strings as they are, numbers and booleans as JSON, anything else as JSON. */
export function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return '';
  try {
    return JSON.stringify(value) ?? '';
  } catch {
    return Object.prototype.toString.call(value);
  }
}
