/** One thing wrong with the contract, located by file and JSON pointer. */
export interface SpecProblem {
  file: string;
  pointer: string;
  message: string;
}

/** Thrown when the specs cannot be turned into code; carries every problem found. */
export class SpecError extends Error {
  readonly problems: readonly SpecProblem[];

  constructor(problems: readonly SpecProblem[]) {
    super(`${problems.length} problem(s) in spec/:\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'SpecError';
    this.problems = problems;
  }
}

export function formatProblem(problem: SpecProblem): string {
  return `  ${problem.file}#${problem.pointer || '/'}: ${problem.message}`;
}

/** Escapes one path segment for a JSON pointer (RFC 6901). */
export function toPointer(path: readonly (string | number)[]): string {
  return path.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** Throws a SpecError when there is at least one problem. */
export function assertNoProblems(problems: readonly SpecProblem[]): void {
  if (problems.length > 0) throw new SpecError(problems);
}
