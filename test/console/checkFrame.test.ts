import { describe, expect, it } from 'vitest';
import { checkFrame } from '../../src/console/checkFrame.js';

const PET = '0193a5b2-7c1e-7d3a-9f2b-4c5d6e7f8a90';
const AT = '2026-12-07T12:00:00.000Z';

describe('the console’s verdict on a frame (the generated validators)', () => {
  it('finds a price-change valid against PriceChange', () => {
    const data = { petId: PET, oldPrice: 10, newPrice: 12.5, timestamp: AT };
    expect(checkFrame('inventoryStream', 'price-change', data)).toEqual({
      valid: true,
      schema: 'PriceChange',
    });
  });

  it('finds an unnamed order status frame valid against OrderStatusUpdate', () => {
    const data = { status: 'payment_processing', timestamp: AT };
    expect(checkFrame('orderStatusStream', 'message', data)).toEqual({
      valid: true,
      schema: 'OrderStatusUpdate',
    });
  });

  it('finds a payload that breaks its schema invalid, with each error of the validator', () => {
    const check = checkFrame('inventoryStream', 'price-change', { petId: PET, oldPrice: 10, newPrice: -1 });
    expect(check).toEqual({
      valid: false,
      schema: 'PriceChange',
      errors: expect.arrayContaining([expect.stringMatching(/timestamp/)]),
    });
    const negative = checkFrame('inventoryStream', 'price-change', {
      petId: PET,
      oldPrice: 10,
      newPrice: -1,
      timestamp: AT,
    });
    expect(negative).toEqual({ valid: false, schema: 'PriceChange', errors: ['/newPrice must be >= 0'] });
  });

  it('finds an event the channel does not declare invalid', () => {
    expect(checkFrame('inventoryStream', 'recommendation', {})).toEqual({
      valid: false,
      schema: undefined,
      errors: ['inventoryStream declares no event "recommendation"'],
    });
    expect(checkFrame('inventoryStream', 'toString', {}).valid).toBe(false);
  });
});
