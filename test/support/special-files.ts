// Inputs that hang or exhaust a careless reader: a FIFO, and a YAML alias bomb.
import { execFileSync } from 'node:child_process';

/** A billion laughs: 9 levels of 9 aliases, 9^9 (387 million) strings once expanded. */
export const ALIAS_BOMB = [
  'apiVersion: v1', 'kind: ConfigMap', 'metadata: { name: lol, namespace: app }', 'data:',
  '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  ...'bcdefghi'.split('').map((c, i) => `  ${c}: &${c} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`),
].join('\n') + '\n';

/** Makes a FIFO (named pipe) at the path; returns the path. */
export function mkfifo(path: string): string {
  execFileSync('mkfifo', [path]);
  return path;
}
