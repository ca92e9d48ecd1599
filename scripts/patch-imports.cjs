// `node scripts/patch-imports.cjs`: run after `npx cdk8s import` (cdk8s.yaml). The generated mappings
// (`toJson_<Type>`) drop undefined fields with `Object.entries(result).reduce((r, i) => ... ({ ...r,
// [i[0]]: i[1] }), {})`, which copies the object once per field it keeps: at a thousand services, the
// VirtualServices' and DestinationRules' mappings took about a tenth of synth's time. This replaces
// that line with a call to one function per file that builds the same object (the same keys, in the
// same order, as own data properties) in one pass. Idempotent; changes nothing else.
const fs = require('node:fs');
const path = require('node:path');

const GENERATED = '  return Object.entries(result).reduce((r, i) => (i[1] === undefined) ? r : ({ ...r, [i[0]]: i[1] }), {});';
const PATCHED = '  return filterUndefined(result);';
const HELPER = `
/**
 * The generated mappings' "filter undefined values" in one pass (patched in by
 * scripts/patch-imports.cjs): the object's fields without the undefined ones, in their order.
 * (The generated code copied the object once per field kept.) Field names are the schema's: none is
 * "__proto__", so assignment defines each as an own property, as the spread did.
 */
function filterUndefined(result: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = {};
  for (const k of Object.keys(result)) {
    const v = result[k];
    if (v !== undefined) out[k] = v;
  }
  return out;
}
`;

const dir = path.join(__dirname, '..', 'imports');
for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
  const file = path.join(dir, name);
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(GENERATED)) continue;
  if (/['"]__proto__['"]/.test(text)) throw new Error(`${name}: a field named __proto__; the one-pass filter would set the prototype`);
  let out = text.split(GENERATED).join(PATCHED);
  if (!out.includes('function filterUndefined(')) out = `${out.replace(/\n*$/, '\n')}${HELPER}`;
  fs.writeFileSync(file, out);
  console.log(`${name}: ${text.split(GENERATED).length - 1} mappings patched`);
}
