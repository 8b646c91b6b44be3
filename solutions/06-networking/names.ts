// Interface names. The kernel allows 15 characters (IFNAMSIZ 16 with the final NUL), so a
// 64-hex-digit container id cannot be used whole: like Docker's "veth" + 7 random hex
// digits, carton uses a prefix and the first 8 hex digits of the id, which makes the host
// side of every container's link easy to find and to remove after a crash.
import { NetworkError } from './run.js';

export interface VethNames {
  /** The end that stays on the host, enslaved to the bridge. */
  host: string;
  /** The end moved into the container; created under this name, renamed eth0 inside. */
  peer: string;
}

// #region vethNames
export function vethNames(id: string): VethNames {
  const short = id.slice(0, 8);
  if (!/^[0-9a-zA-Z]{1,8}$/.test(short)) {
    throw new NetworkError(`invalid container id ${id}`, 'a container id is made of letters and digits');
  }
  return { host: `vc${short}`, peer: `vp${short}` };
}
// #endregion vethNames
