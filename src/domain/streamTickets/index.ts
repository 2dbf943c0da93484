export {
  createStreamTicketService,
  type IssuedTicket,
  type Redemption,
  type StreamTicketService,
  type TicketRequest,
} from './streamTicketService.js';
