import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generate } from './generate.js';
import { diffFileSet, writeFileSet } from './output.js';
import { defaultPaths } from './paths.js';
import { SpecError } from './problems.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const { values } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    spec: { type: 'string' },
    out: { type: 'string' },
  },
});
const paths = defaultPaths(root);
const specDir = path.resolve(values.spec ?? paths.specDir);
const outDir = path.resolve(values.out ?? paths.outDir);

try {
  const files = await generate(specDir);
  if (values.check) {
    const differences = await diffFileSet(outDir, files);
    if (differences.length > 0) {
      console.error(
        `generated/ is stale or was edited by hand:\n${differences.map((line) => `  ${line}`).join('\n')}`,
      );
      console.error('Fix: never edit generated/; change spec/, run `npm run codegen` and commit the result.');
      process.exitCode = 1;
    } else {
      console.log(`generated/ is up to date (${files.size} files).`);
    }
  } else {
    await writeFileSet(outDir, files);
    console.log(`codegen: wrote ${files.size} files to ${path.relative(process.cwd(), outDir) || '.'}`);
  }
} catch (error) {
  if (!(error instanceof SpecError)) throw error;
  console.error(`codegen failed: ${error.message}`);
  process.exitCode = 1;
}
