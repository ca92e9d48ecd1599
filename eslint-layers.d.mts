// Types of eslint-layers.mjs, for the test that exercises its rule (test/import-graph.test.ts).
/** The public entries apps/ may import. */
export declare const PUBLIC_ENTRIES: readonly string[];
/** The layer of a file relative to the package root. */
export declare function layerOf(rel: string): string | undefined;
/** Why `fromRel` may not import `toRel`, or undefined when it may. */
export declare function violation(fromRel: string, toRel: string, typeOnly: boolean): string | undefined;
declare const plugin: { rules: Record<string, unknown> };
export default plugin;
