import path from 'node:path';

/** Where codegen reads the contract and writes its output. */
export interface CodegenPaths {
  specDir: string;
  outDir: string;
}

export const defaultPaths = (root: string): CodegenPaths => ({
  specDir: path.join(root, 'spec'),
  outDir: path.join(root, 'generated'),
});

export const SCHEMAS_FOLDER = 'schemas';
