// Chapter 10 — exercise: the Dockerfile's environment replacement.
import { todo } from '../../lib/todo.js';
import { CartonError } from '../../lib/sys/errors.js';

/**
 * Replace $NAME and ${NAME} in `text` by vars[NAME] ('' when unset); ${NAME:-word} is word
 * when NAME is unset or empty, ${NAME:+word} is word when it is set and not empty (word
 * may hold variables: expand it too). `escape` followed by $ is a literal $; a $ that starts
 * no name stays. A ${ with no } throws a CartonError saying `missing '}'`, and a ${…} of
 * another shape one saying `bad substitution`.
 */
export function expand(text: string, vars: Record<string, string>, escape = '\\'): string {
  // TODO: one pass over text, character by character (the lesson walks through the cases)
  void CartonError;
  void text;
  void vars;
  void escape;
  todo('expand', 'exercises/10-build/substitute.ts');
}
