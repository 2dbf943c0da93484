export { compileWasmWithLiftoffOnly } from './compileWasmWithLiftoffOnly.js';
export { createLogger } from './createLogger.js';
export { createSystem, type System, type SystemOptions } from './createSystem.js';
export { logStartup } from './logStartup.js';
export { runServer } from './runServer.js';
