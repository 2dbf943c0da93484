import { type ChildProcess, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { createInterface } from 'node:readline';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(
  path.dirname(createRequire(import.meta.url).resolve('@stoplight/prism-cli/package.json')),
  'dist/index.js',
);

/** `prism proxy --errors` in front of a server: it validates every request and response against the document. */
export interface PrismProxy {
  url: string;
  /** Every line Prism logged (its `Violation: …` lines name what differs from the document). */
  lines: string[];
  close(): Promise<void>;
}

/**
 * Starts `prism proxy <spec> <upstream> --errors` on a free port of 127.0.0.1 (Prism's own validator, at its
 * default settings), and resolves once it listens.
 */
export function startPrismProxy(
  upstream: string,
  spec = 'generated/specs/openapi.json',
): Promise<PrismProxy> {
  const args = [cli, 'proxy', spec, upstream, '--errors', '-h', '127.0.0.1', '-p', '0'];
  const child: ChildProcess = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const collect = (stream: NodeJS.ReadableStream) =>
    createInterface({ input: stream }).on('line', (line) => lines.push(line));
  collect(child.stderr!);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Prism did not start:\n${lines.join('\n')}`)), 60_000);
    void exited.then(() => reject(new Error(`Prism exited before listening:\n${lines.join('\n')}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const listening = /Prism is listening on (http:\/\/\S+)/.exec(line);
      if (!listening) return;
      clearTimeout(timer);
      resolve({
        url: listening[1]!,
        lines,
        close: () => {
          child.kill('SIGTERM');
          return exited;
        },
      });
    });
  });
}
