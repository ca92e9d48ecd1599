// Written by scripts/patch-imports.cjs, which patches the generated files beside this one to use it.

/**
 * The generated mappings' "filter undefined values" in one pass: the object's fields without the
 * undefined ones, in their order. (The generated code copied the object once per field kept.) Field
 * names are the schema's: none is "__proto__" (the patch refuses a file with one), so assignment
 * defines each as an own property, as the spread did. ('any': the generated mappings' own type.)
 */
export function filterUndefined(result: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const k of Object.keys(result)) {
    const v = result[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}
