export { ClientError, type ClientErrorCode } from './ClientError.js';
export { type InvalidFrameDetails, InvalidFrameError, type InvalidFrameReason } from './InvalidFrameError.js';
export { StreamHttpError } from './StreamHttpError.js';
