// generated from spec/ by scripts/codegen — do not edit; change spec/ and run `npm run codegen`.

import type { ChannelEvents, ChannelId } from './events.js';
import * as schemas from './validators/schemas.js';
import type { ValidateFunction } from './validators/schemas.js';

/**
 * What codegen read from each AsyncAPI channel: path, HTTP method, parameters, events, how unusual events are
 * written (`unnamedEvents`: no `event:` line; `rawDataEvents`: a string payload as is, not JSON) and the grammar.
 */
export const channels = {
  recommendationsStream: {
    id: 'recommendationsStream',
    address: '/v1/pets/recommendations/stream',
    title: 'Pet recommendations',
    method: 'GET',
    parameters: [],
    events: ['recommendation', 'complete', 'reset', 'stream-error'],
    unnamedEvents: [],
    rawDataEvents: [],
    messages: {
      recommendation: { messageId: 'recommendation', schema: 'Recommendation' },
      complete: { messageId: 'recommendationsComplete', schema: 'RecommendationsComplete' },
      reset: { messageId: 'reset', schema: 'StreamReset' },
      'stream-error': { messageId: 'streamError', schema: 'StreamError' },
    },
    grammar: {
      sequence: 'reset? recommendation* (complete | stream-error)',
      terminal: ['complete', 'stream-error'],
      repeatable: ['recommendation'],
      nothingAfterTerminal: true,
    },
  },
  orderStatusStream: {
    id: 'orderStatusStream',
    address: '/v1/orders/{orderId}/status/stream',
    title: 'Order status',
    method: 'GET',
    parameters: ['orderId'],
    events: ['message', 'complete', 'reset', 'stream-error'],
    unnamedEvents: ['message'],
    rawDataEvents: [],
    messages: {
      message: { messageId: 'orderStatusUpdate', schema: 'OrderStatusUpdate' },
      complete: { messageId: 'orderComplete', schema: 'OrderComplete' },
      reset: { messageId: 'reset', schema: 'StreamReset' },
      'stream-error': { messageId: 'streamError', schema: 'StreamError' },
    },
    grammar: {
      sequence: 'reset? message* (complete | stream-error)',
      terminal: ['complete', 'stream-error'],
      repeatable: ['message'],
      nothingAfterTerminal: true,
    },
  },
  inventoryStream: {
    id: 'inventoryStream',
    address: '/v1/inventory/stream',
    title: 'Live inventory',
    method: 'GET',
    parameters: [],
    events: ['stock-change', 'price-change', 'reset', 'stream-error'],
    unnamedEvents: [],
    rawDataEvents: [],
    messages: {
      'stock-change': { messageId: 'stockChange', schema: 'StockChange' },
      'price-change': { messageId: 'priceChange', schema: 'PriceChange' },
      reset: { messageId: 'reset', schema: 'StreamReset' },
      'stream-error': { messageId: 'streamError', schema: 'StreamError' },
    },
    grammar: {
      sequence: 'reset? (stock-change | price-change)* stream-error?',
      terminal: ['stream-error'],
      repeatable: ['stock-change', 'price-change'],
      nothingAfterTerminal: true,
    },
  },
  chatCompletionsStream: {
    id: 'chatCompletionsStream',
    address: '/v1/chat/completions',
    title: 'Pet advisor chat',
    method: 'POST',
    parameters: [],
    events: ['chunk', 'done', 'stream-error'],
    unnamedEvents: ['chunk', 'done'],
    rawDataEvents: ['done'],
    messages: {
      chunk: { messageId: 'chatCompletionChunk', schema: 'ChatCompletionChunk' },
      done: { messageId: 'chatCompletionDone', schema: 'ChatCompletionDone' },
      'stream-error': { messageId: 'streamError', schema: 'StreamError' },
    },
    grammar: {
      sequence: 'chunk* (done | stream-error)',
      terminal: ['done', 'stream-error'],
      repeatable: ['chunk'],
      nothingAfterTerminal: true,
    },
  },
} as const;

/** The payload validator of every event, by channel and event name. */
export const eventValidators: { readonly [C in ChannelId]: { readonly [K in keyof ChannelEvents[C]]: ValidateFunction } } = {
  recommendationsStream: {
    recommendation: schemas.Recommendation,
    complete: schemas.RecommendationsComplete,
    reset: schemas.StreamReset,
    'stream-error': schemas.StreamError,
  },
  orderStatusStream: {
    message: schemas.OrderStatusUpdate,
    complete: schemas.OrderComplete,
    reset: schemas.StreamReset,
    'stream-error': schemas.StreamError,
  },
  inventoryStream: {
    'stock-change': schemas.StockChange,
    'price-change': schemas.PriceChange,
    reset: schemas.StreamReset,
    'stream-error': schemas.StreamError,
  },
  chatCompletionsStream: {
    chunk: schemas.ChatCompletionChunk,
    done: schemas.ChatCompletionDone,
    'stream-error': schemas.StreamError,
  },
};
