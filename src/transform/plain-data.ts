// The one question every stage asks of parsed YAML and JSON: is this a map
// (an object that is not an array, nor null)?
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
