import type { Context } from 'koa';
import type { Logger } from 'pino';
import type { ChatCompletionsStreamEvents } from '../../../generated/events.js';
import { ChatUpstreamError, chatCompletionMessages } from '../../domain/chat/index.js';
import type { Services } from '../../domain/index.js';
import type { StreamMessage } from '../../sse/index.js';
import { OperationRouter } from '../request/OperationRouter.js';
import { answerWithFeed, type Streams } from '../sse/index.js';

/** Aborted when the client goes away (or the response is done): an answer nobody waits for stops. */
function requestSignal(ctx: Context): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const abort = () => controller.abort();
  ctx.res.once('close', abort);
  return { signal: controller.signal, release: () => ctx.res.off('close', abort) };
}

/** Logs a failed upstream (answered 502, or ended in-band with `stream-error`), then lets it go on. */
async function logged<T>(logger: Logger, answer: Promise<T>): Promise<T> {
  try {
    return await answer;
  } catch (error) {
    if (error instanceof ChatUpstreamError) logger.warn({ err: error }, 'chat model failed; answered 502');
    throw error;
  }
}

async function* loggedFrames(
  logger: Logger,
  frames: AsyncIterable<StreamMessage<ChatCompletionsStreamEvents>>,
): AsyncGenerator<StreamMessage<ChatCompletionsStreamEvents>> {
  for await (const frame of frames) {
    if (frame.event === 'stream-error') logger.warn({ failure: frame.data }, 'chat model failed mid-stream');
    yield frame;
  }
}

/** Routes of the `chat` tag: the pet advisor, answered as JSON or streamed as OpenAI-style chunks. */
export function chatRoutes(services: Services, streams: Streams): OperationRouter {
  const logger = streams.logger.child({ route: 'chat' });
  return new OperationRouter().on('createChatCompletion', async ({ body }, ctx) => {
    if (body.stream !== true) {
      const lifetime = requestSignal(ctx);
      try {
        return { status: 200, body: await logged(logger, services.chat.complete(body, lifetime.signal)) };
      } finally {
        lifetime.release();
      }
    }
    await answerWithFeed(ctx, 'chatCompletionsStream', streams, async (signal) => ({
      kind: 'stream',
      messages: loggedFrames(
        logger,
        chatCompletionMessages(await logged(logger, services.chat.open(body, signal))),
      ),
    }));
  });
}
