import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sparePort } from '../faults/harness/sparePort.js';

const root = path.resolve(import.meta.dirname, '../..');

/** Debian's nginx (`apt-get install -y nginx-light`; `.ci/run` does). */
export const NGINX = '/usr/sbin/nginx';

/** One line of the access log `deploy/nginx.conf` writes (its `petstore` JSON format). */
export interface AccessLogLine {
  client: string;
  request: string;
  status: number;
  protocol: string;
  connection: number;
  connection_requests: number;
  upstream: string;
}

/** nginx running `deploy/nginx.conf` as a process of the test's own, on spare ports, everything in a temporary folder. */
export interface Nginx {
  /** `http://127.0.0.1:<port>`: the configuration's `listen 80`. */
  readonly httpUrl: string;
  /** `https://127.0.0.1:<port>`: its `listen 443 ssl http2`. */
  readonly httpsUrl: string;
  /** The access log so far, parsed. */
  accessLog(): Promise<AccessLogLine[]>;
  /** Stops it (SIGTERM: at once, open streams included) and removes its folder. */
  stop(): Promise<void>;
}

/** Replaces `from` in `text`, failing when it is not there (the committed configuration changed under the test). */
function substitute(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`deploy/nginx.conf no longer contains ${JSON.stringify(from)}`);
  return text.replaceAll(from, to);
}

/**
 * Renders `deploy/nginx.conf` for a test: its two upstream servers become `upstreams` (host:port), its
 * listeners spare ports on 127.0.0.1, its certificate the given files, its pid, logs and temporary files a
 * temporary folder. The rest is the file as committed.
 */
export async function renderNginxConf(options: {
  dir: string;
  upstreams: readonly [string, string] | readonly [string];
  httpPort: number;
  httpsPort: number;
  cert: string;
  key: string;
}): Promise<string> {
  const { dir } = options;
  let conf = await readFile(path.join(root, 'deploy/nginx.conf'), 'utf8');
  conf = substitute(conf, 'pid /run/nginx-petstore.pid;', `pid ${dir}/nginx.pid;`);
  conf = substitute(conf, '/var/log/nginx/petstore.error.log', `${dir}/error.log`);
  conf = substitute(conf, '/var/log/nginx/petstore.access.log', `${dir}/access.log`);
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((kind) => `    ${kind}_temp_path ${dir}/${kind};`)
    .join('\n');
  conf = substitute(conf, 'http {\n', `http {\n${temp}\n`);
  const [first, second] = options.upstreams;
  conf = substitute(conf, 'server 127.0.0.1:3001;', `server ${first};`);
  conf = substitute(conf, 'server 127.0.0.1:3002;', second === undefined ? '' : `server ${second};`);
  conf = substitute(conf, 'listen 80;', `listen 127.0.0.1:${options.httpPort};`);
  conf = substitute(conf, 'listen 443 ssl http2;', `listen 127.0.0.1:${options.httpsPort} ssl http2;`);
  conf = substitute(conf, '/etc/nginx/petstore/cert.pem', options.cert);
  conf = substitute(conf, '/etc/nginx/petstore/key.pem', options.key);
  return conf;
}

/** Resolves once `port` on 127.0.0.1 accepts connections. */
async function untilListening(port: number, child: ChildProcess, errors: () => string): Promise<void> {
  const deadline = performance.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited (${child.exitCode}):\n${errors()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    if (performance.now() > deadline) throw new Error(`nginx did not listen on ${port}:\n${errors()}`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Starts nginx with `deploy/nginx.conf` in front of `upstreams` (see {@link renderNginxConf}). */
export async function startNginx(options: {
  upstreams: readonly [string, string] | readonly [string];
  cert: string;
  key: string;
}): Promise<Nginx> {
  if (!existsSync(NGINX)) {
    throw new Error(`${NGINX} is missing: install it with \`apt-get install -y nginx-light\` (.ci/run does)`);
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'sec-proxy-nginx-'));
  // nginx's workers run as another user when it starts as root: they must reach the temporary folders.
  await chmod(dir, 0o755);
  const [httpPort, httpsPort] = [await sparePort(), await sparePort()];
  const conf = await renderNginxConf({ ...options, dir, httpPort, httpsPort });
  await writeFile(path.join(dir, 'nginx.conf'), conf);
  const child = spawn(
    NGINX,
    ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', `${dir}/error.log`, '-g', 'daemon off;'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const errors = () => stderr;
  try {
    await untilListening(httpPort, child, errors);
    await untilListening(httpsPort, child, errors);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    const log = await readFile(`${dir}/error.log`, 'utf8').catch(() => '');
    await rm(dir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}\n${log}`);
  }
  return {
    httpUrl: `http://127.0.0.1:${httpPort}`,
    httpsUrl: `https://127.0.0.1:${httpsPort}`,
    async accessLog() {
      const text = await readFile(`${dir}/access.log`, 'utf8').catch(() => '');
      return text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as AccessLogLine);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
