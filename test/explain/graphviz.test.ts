// Graphviz's layout in a worker thread (lib/explain/graphviz.ts): the same SVG as in this thread,
// Graphviz's errors and a failing worker surface as errors, and the worker does not hold the
// process open once it has answered.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { layoutSvg, prepareLayout, useLayoutWorker } from '../../lib/explain/graphviz';

const DOT = 'digraph "t" { rankdir=LR; a [shape=box, label="client"]; a -> b [label="90%"]; a -> c [label="10%", style=dotted]; }\n';

afterEach(() => useLayoutWorker(true));

describe('layoutSvg', () => {
  it('lays out the same SVG in the worker thread as in this thread', async () => {
    const inWorker = await layoutSvg(DOT);
    useLayoutWorker(false);
    const here = await layoutSvg(DOT);
    expect(inWorker).toMatch(/^<\?xml[\s\S]*<svg [\s\S]*>90%<\/text>[\s\S]*<\/svg>\s*$/);
    expect(inWorker).toBe(here);
  });

  it('rejects with Graphviz\'s error, in the worker thread as in this thread, and goes on serving', async () => {
    const bad = 'digraph { a -> }';
    const inWorker = await layoutSvg(bad).then(() => undefined, (e: Error) => e);
    expect(inWorker).toBeInstanceOf(Error);
    expect(inWorker!.message).toMatch(/syntax error/);
    expect(await layoutSvg(DOT)).toMatch(/<\/svg>/);
    useLayoutWorker(false);
    await expect(layoutSvg(bad)).rejects.toThrow(inWorker!.message);
  });

  it('fails what a worker that cannot load Graphviz was asked, with its reason; later layouts run in this thread', async () => {
    useLayoutWorker(true, path.join(__dirname, 'no-such-graphviz.js'));
    const both = [layoutSvg(DOT), layoutSvg(DOT)];
    for (const p of both) await expect(p).rejects.toThrow(/Graphviz's worker thread failed: Cannot find module .*no-such-graphviz\.js/);
    expect(await layoutSvg(DOT)).toMatch(/<\/svg>/);
  });

  it('does not hold the process open: a program that lays out a picture exits as soon as it has it', () => {
    const root = path.join(__dirname, '..', '..');
    const code = `require('./lib/explain/graphviz.ts').layoutSvg(${JSON.stringify(DOT)}).then((svg) => console.log(svg.length));`;
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { cwd: root, encoding: 'utf8', timeout: 15_000 });
    expect([r.status, r.signal, r.stderr]).toEqual([0, null, '']);
    expect(Number(r.stdout)).toBeGreaterThan(500);
    // A worker started ahead of a picture that is never asked for (explain --graph failing on its input) neither.
    const prepared = spawnSync(process.execPath, ['--import', 'tsx', '-e', `require('./lib/explain/graphviz.ts').prepareLayout(); console.log('done');`], { cwd: root, encoding: 'utf8', timeout: 15_000 });
    expect([prepared.status, prepared.signal, prepared.stderr, prepared.stdout]).toEqual([0, null, '', 'done\n']);
  });

  it('prepareLayout starts the worker ahead of the first layout, which it then serves', async () => {
    useLayoutWorker(true, path.join(__dirname, 'no-such-graphviz.js'));
    prepareLayout();
    // The worker that fails to load Graphviz is the prepared one: the layout asked for next is its.
    await expect(layoutSvg(DOT)).rejects.toThrow(/Graphviz's worker thread failed/);
  });
});
