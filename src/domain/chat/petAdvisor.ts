import { setImmediate as nextTurn } from 'node:timers/promises';
import type { CatalogSource } from '../recommendations/index.js';
import type { ChatCompletionChoice, ChatResponder } from './ChatResponder.js';
import { composeAnswer } from './composeAnswer.js';
import { readQuestion } from './readQuestion.js';

/** The answer's tokens: each word with the white space before it, so that joined they give the text back. */
export function tokenize(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

const choice = (delta: ChatCompletionChoice['delta']): ChatCompletionChoice[] => [
  { index: 0, delta, finishReason: null },
];

async function* streamTokens(
  tokens: readonly string[],
  maxTokens: number | undefined,
  signal: AbortSignal,
): AsyncGenerator<ChatCompletionChoice[]> {
  const sent = tokens.slice(0, maxTokens ?? tokens.length);
  yield choice({ role: 'assistant', content: '' });
  for (const token of sent) {
    // One event-loop turn per token, as a model producing tokens would take: a disconnect (or any other
    // request) is served between two tokens, so an abandoned answer stops at once. No delay is added.
    await nextTurn();
    if (signal.aborted) return;
    yield choice({ content: token });
  }
  yield [{ index: 0, delta: {}, finishReason: sent.length < tokens.length ? 'length' : 'stop' }];
}

/**
 * The built-in pet advisor: reads the catalog as it is now, reads the last user question (prices, stock,
 * which pets fit, one pet) and streams a grounded answer token by token. `PET_ADVISOR_TURBO` answers more
 * briefly. Deterministic: the same conversation about the same catalog gives the same tokens.
 */
export function petAdvisor(catalog: CatalogSource): ChatResponder {
  return {
    async answer(request, signal) {
      const pets = await catalog.all();
      const questions = request.messages.filter((message) => message.role === 'user').map((m) => m.content);
      const detail = request.model === 'PET_ADVISOR_TURBO' ? 'brief' : 'full';
      const text = composeAnswer(readQuestion(questions, pets), pets, detail);
      return streamTokens(tokenize(text), request.maxTokens, signal);
    },
  };
}
