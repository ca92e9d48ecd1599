import { readManifests } from '../lib/analysis/read-manifests';
import { analyze, validateSchemas, istioCrdSchemas } from '../lib';
(async () => {
  let t = Date.now();
  const r = await readManifests([process.argv[2]]);
  console.log('read', Date.now() - t); t = Date.now();
  await validateSchemas(r.objects);
  console.log('schemas', Date.now() - t); t = Date.now();
  istioCrdSchemas().validate(r.objects);
  console.log('crds', Date.now() - t); t = Date.now();
  const f = analyze(r.objects);
  console.log('analyze', Date.now() - t, f.map((x) => x.check + ' ' + x.message).slice(0, 3));
})();
