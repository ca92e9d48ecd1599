/**
 * Graphviz (WebAssembly, @viz-js/viz) laying DOT out to SVG in a worker thread, so that the layout
 * runs beside the caller's work instead of after it: `synthesizeChecked` asks for each picture as
 * soon as the target's objects exist and validates on the main thread while the worker loads
 * Graphviz, compiles its WebAssembly and lays the pictures out (about 0.15 s of CPU time for the
 * example's two, which a cold synth no longer waits for). One worker for the process, started on the
 * first request; it holds the process open only while a request is pending (unref'd when idle), so
 * the process exits when its own work is done. The worker is given its code as text (no script file
 * to find: the same code runs from the compiled package, under tsx and under vitest) and the path
 * of @viz-js/viz resolved here. Where a worker cannot be started, the layout runs in this thread,
 * with the same Graphviz and the same output.
 */
import { createRequire } from 'node:module';
import * as nodeModule from 'node:module';
import { Worker } from 'node:worker_threads';

type Viz = Awaited<ReturnType<typeof import('@viz-js/viz').instance>>;

/** What the worker runs (plain JavaScript, CommonJS): one Graphviz instance, requests answered in order. */
const WORKER_SOURCE = `'use strict';
const { parentPort, workerData } = require('node:worker_threads');
if (workerData.compileCache) require('node:module').enableCompileCache?.(workerData.compileCache);
const graphviz = Promise.resolve().then(() => require(workerData.viz).instance());
parentPort.on('message', ({ id, dot }) => {
  graphviz
    .then((viz) => ({ id, svg: viz.renderString(dot, { format: 'svg', engine: 'dot' }) }))
    .catch((e) => ({ id, error: e instanceof Error ? e.message : String(e) }))
    .then((answer) => parentPort.postMessage(answer));
});
`;

interface Pending {
  readonly resolve: (svg: string) => void;
  readonly reject: (e: Error) => void;
}

interface LayoutWorker {
  readonly worker: Worker;
  readonly pending: Map<number, Pending>;
  next: number;
}

let layoutWorker: LayoutWorker | undefined;
/** false once a worker could not be started or failed: the layouts run in this thread from then on. */
let workerUsable = true;
/** The module the worker loads (@viz-js/viz, resolved on first use; tests give another). */
let vizModule: string | undefined;
let inThread: Promise<Viz> | undefined;

/**
 * For tests, which check both ways: whether layouts may run in a worker thread (the default), and
 * the module it loads instead of @viz-js/viz. A worker started with another module is stopped once
 * it has answered what it was asked.
 */
export function useLayoutWorker(on: boolean, viz?: string): void {
  workerUsable = on;
  if (viz === vizModule) return;
  vizModule = viz;
  const w = layoutWorker;
  layoutWorker = undefined;
  if (w && w.pending.size === 0) void w.worker.terminate();
}

/**
 * Starts the worker thread, which loads Graphviz at once, ahead of the first layout: for a caller
 * that knows it will draw a picture and has other work to do first (explain reads the manifests).
 */
export function prepareLayout(): void {
  if (workerUsable && !layoutWorker) startWorker();
}

/** Lays `dot` out with Graphviz's dot engine and returns the SVG: in the worker thread when it can, else here. */
export function layoutSvg(dot: string): Promise<string> {
  const w = workerUsable ? (layoutWorker ?? startWorker()) : undefined;
  if (!w) return layoutInThread(dot);
  const id = w.next++;
  return new Promise<string>((resolve, reject) => {
    if (w.pending.size === 0) w.worker.ref();
    w.pending.set(id, { resolve, reject });
    w.worker.postMessage({ id, dot });
  });
}

/** The layout in this thread (Graphviz loaded on first use, one instance for all of them). */
async function layoutInThread(dot: string): Promise<string> {
  inThread ??= import('@viz-js/viz').then((viz) => viz.instance());
  return (await inThread).renderString(dot, { format: 'svg', engine: 'dot' });
}

function startWorker(): LayoutWorker | undefined {
  let worker: Worker;
  try {
    const viz = vizModule ?? createRequire(__filename).resolve('@viz-js/viz');
    // The worker loads Graphviz's 1.2 MB module: with the compile cache this thread uses, when it has one.
    const compileCache = (nodeModule as { getCompileCacheDir?: () => string | undefined }).getCompileCacheDir?.();
    worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { viz, compileCache } });
  } catch {
    workerUsable = false;
    return undefined;
  }
  const w: LayoutWorker = { worker, pending: new Map(), next: 0 };
  const answered = (id: number) => {
    const p = w.pending.get(id);
    w.pending.delete(id);
    if (w.pending.size === 0) {
      if (layoutWorker === w) worker.unref();
      else void worker.terminate(); // replaced (useLayoutWorker)
    }
    return p;
  };
  worker.on('message', (m: { id: number; svg?: string; error?: string }) => {
    const p = answered(m.id);
    if (m.error !== undefined) p?.reject(new Error(m.error));
    else p?.resolve(m.svg ?? '');
  });
  // A worker that fails (it could not load Graphviz, it ran out of memory) fails what it was asked;
  // later layouts run in this thread.
  const failed = (e: Error) => {
    if (layoutWorker === w) {
      layoutWorker = undefined;
      workerUsable = false;
    }
    for (const id of [...w.pending.keys()]) answered(id)?.reject(e);
  };
  worker.on('error', (e: Error) => failed(new Error(`Graphviz's worker thread failed: ${e.message}`)));
  worker.on('exit', (code) => failed(new Error(`Graphviz's worker thread stopped (exit code ${code}) before it answered`)));
  // Idle until asked (after the listeners: adding one refs the worker again).
  worker.unref();
  layoutWorker = w;
  return w;
}
