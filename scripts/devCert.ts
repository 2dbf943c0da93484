import { execFile } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A certificate and its private key, as PEM files and as their contents. */
export interface SelfSignedCertificate {
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: Buffer;
  readonly key: Buffer;
}

/** Options of {@link createSelfSignedCertificate}. */
export interface SelfSignedOptions {
  /** File names are `<name>.pem` and `<name>-key.pem`. Default: `localhost`. */
  readonly name?: string;
  /** Days the certificate is valid. Default: 365. */
  readonly days?: number;
}

/**
 * Makes a self-signed certificate for `localhost`, `127.0.0.1` and `::1` with openssl (a P-256 key, a
 * server-only leaf: `CA:FALSE`, `serverAuth`) and writes it into `dir` as `<name>.pem` and `<name>-key.pem`
 * (the key readable by its owner only). For development and tests only: nothing but a client told to trust
 * this very certificate accepts it.
 */
export async function createSelfSignedCertificate(
  dir: string,
  options: SelfSignedOptions = {},
): Promise<SelfSignedCertificate> {
  const name = options.name ?? 'localhost';
  const certFile = path.join(dir, `${name}.pem`);
  const keyFile = path.join(dir, `${name}-key.pem`);
  await mkdir(dir, { recursive: true });
  await rm(keyFile, { force: true });
  await promisify(execFile)('openssl', [
    ...['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'],
    ...['-days', String(options.days ?? 365), '-subj', '/CN=localhost'],
    ...['-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1'],
    ...['-addext', 'basicConstraints=critical,CA:FALSE'],
    ...['-addext', 'keyUsage=critical,digitalSignature'],
    ...['-addext', 'extendedKeyUsage=serverAuth'],
    ...['-keyout', keyFile, '-out', certFile],
  ]);
  return { certFile, keyFile, cert: await readFile(certFile), key: await readFile(keyFile) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  const dir = path.resolve(values.out ?? path.join(root, 'certs'));
  const { certFile, keyFile } = await createSelfSignedCertificate(dir);
  const [cert, key] = [certFile, keyFile].map((file) => path.relative(process.cwd(), file));
  console.log(`dev:cert: wrote ${cert} and ${key} (self-signed for localhost, 127.0.0.1 and ::1; 365 days)`);
  console.log(`Serve HTTP/2 over TLS with:  TLS_CERT=${cert} TLS_KEY=${key} npm start`);
  console.log('Then: curl --http2 --cacert', cert, 'https://localhost:3000/v1/inventory/stream');
}
