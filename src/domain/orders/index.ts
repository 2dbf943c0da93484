export { type Fulfilment, type FulfilmentDeps, startFulfilment } from './fulfilment.js';
export { type OrderFeed, openOrderFeed } from './orderFeed.js';
export { createOrderService, type OrderService, type OrderServiceDeps } from './orderService.js';
