// Chapter 07 — exercise: reading a registry's WWW-Authenticate challenge.
import { todo } from '../../lib/todo.js';
export type { Challenge } from '../../solutions/07-images/challenge.js';
import type { Challenge } from '../../solutions/07-images/challenge.js';

/**
 * Parse one challenge:
 *   Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"
 *   → { scheme: "bearer", params: { realm: "https://auth.example/token", service: "registry.example", scope: "repository:a/b:pull,push" } }
 * The scheme and parameter names are lowercased; a quoted value may hold commas and \" escapes.
 */
export function parseAuthChallenge(header: string): Challenge {
  // TODO: the scheme is the first word; then name=value pairs separated by commas.
  void header;
  todo('parseAuthChallenge', 'exercises/07-images/challenge.ts');
}
