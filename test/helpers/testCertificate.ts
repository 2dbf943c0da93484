import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createSelfSignedCertificate, type SelfSignedCertificate } from '../../scripts/devCert.js';

/** A throw-away self-signed certificate for localhost and 127.0.0.1, in a temporary folder. */
export interface TestCertificate extends SelfSignedCertificate {
  remove(): Promise<void>;
}

/** Makes a {@link TestCertificate} with `npm run dev:cert`'s code (openssl), valid for one day. */
export async function createTestCertificate(): Promise<TestCertificate> {
  const dir = await mkdtemp(path.join(tmpdir(), 'petstore-tls-'));
  const certificate = await createSelfSignedCertificate(dir, { days: 1 });
  return { ...certificate, remove: () => rm(dir, { recursive: true, force: true }) };
}
