import { writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { format } from 'node:util';

/**
 * Runs TypeScript code samples one after another in this process (`node --import tsx runSamples.ts
 * manifest.json results.json`): each as a module, with its environment, its console output captured. One
 * process for all of them, since starting one per sample costs a second each on a loaded machine.
 */
interface Job {
  file: string;
  env: Record<string, string>;
}
export interface SampleRun {
  file: string;
  output: string;
  error?: string;
}

const [manifest, resultsFile] = process.argv.slice(2);
const jobs = JSON.parse(await readFile(manifest!, 'utf8')) as Job[];
const TIMEOUT_MS = 20_000;
const results: SampleRun[] = [];
let output = '';
console.log = (...args: unknown[]) => {
  output += `${format(...args)}\n`;
};
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array) => {
  output += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  return true;
}) as typeof process.stdout.write;

for (const job of jobs) {
  output = '';
  Object.assign(process.env, job.env);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not finish in ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
  });
  try {
    await Promise.race([import(pathToFileURL(job.file).href), timeout]);
    results.push({ file: job.file, output });
  } catch (error) {
    results.push({
      file: job.file,
      output,
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  } finally {
    clearTimeout(timer);
  }
}
writeFileSync(resultsFile!, JSON.stringify(results));
write('done\n');
process.exit(0);
