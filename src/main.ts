import { readConfig } from './config/index.js';
import { compileWasmWithLiftoffOnly, createLogger, runServer } from './system/index.js';

compileWasmWithLiftoffOnly();
const config = readConfig();
await runServer(config, createLogger(config));
