/**
 * A CRD for the tests: group example.com, served version v1 with `specSchema` (YAML, indented from
 * column 0) as the schema of `spec`, and optionally more versions (YAML list items at column 2).
 */
export function testCrd(kind: string, specSchema: string, moreVersions = ''): string {
  return `
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: ${kind.toLowerCase()}s.example.com }
spec:
  group: example.com
  names: { kind: ${kind}, plural: ${kind.toLowerCase()}s }
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
${specSchema.replace(/^\n/, '').split('\n').map((l) => (l ? `            ${l}` : l)).join('\n')}
${moreVersions}`;
}
