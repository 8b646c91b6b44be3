// Chapter 09 — exercise: which capabilities a container gets.
import { todo } from '../../lib/todo.js';
import { CAPABILITIES, DEFAULT_CAPABILITIES, capabilityNumber } from '../../solutions/09-security/capabilities.js';
export { CAPABILITIES, DEFAULT_CAPABILITIES, capabilityMask, capabilityNames, capabilityNumber } from '../../solutions/09-security/capabilities.js';

/**
 * The capabilities a container gets, as Docker decides them: the default set, minus the
 * --cap-drop names, plus the --cap-add names; --privileged means all of them. Users write
 * names as they like (net_admin, NET_ADMIN, CAP_NET_ADMIN) and ALL means every one. An
 * unknown name must be an error naming it with CAP_ in front (capabilityNumber throws one for
 * a normalised name). Return names with CAP_, in
 * the order of CAPABILITIES.
 */
export function resolveCapabilities(add: string[], drop: string[], privileged = false): string[] {
  // TODO: normalise the names, then drops before adds
  void CAPABILITIES;
  void DEFAULT_CAPABILITIES;
  void capabilityNumber;
  void add;
  void drop;
  void privileged;
  todo('resolveCapabilities', 'exercises/09-security/capabilities.ts');
}
