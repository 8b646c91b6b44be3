// Probe: allocate one address with the implementation under test, in a process of its own,
// so that the test can start many at once and see whether the lock keeps them apart.
// argv: stateDir network subnet owner
import { IMPL } from '../../lib/impl.js';

const { Ipam } = (await import(`../../${IMPL}/06-networking/index.js`)) as typeof import('../../solutions/06-networking/index.js');
const [stateDir, network, subnet, owner] = process.argv.slice(2);
console.log(new Ipam(stateDir).allocate(network, subnet, owner));
