import { stockChange } from './payload.js';

/** Nanoseconds of one compiled `stock-change` validation (the channel's generated validator). */
export async function validationNanos(): Promise<number> {
  const { channelStreamOptions } = await import('../src/http/sse/channelStreamOptions.js');
  const { validate } = channelStreamOptions('inventoryStream');
  const payloads = Array.from({ length: 1000 }, (_, i) => stockChange(i));
  const started = process.hrtime.bigint();
  for (let round = 0; round < 200; round++)
    for (const data of payloads) if (validate('stock-change', data)) throw new Error('invalid payload');
  return Number(process.hrtime.bigint() - started) / (200 * payloads.length);
}
