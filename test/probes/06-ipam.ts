// Probe: allocate one address with the implementation under test, in a process of its own,
// so that the test can start many at once and see whether the lock keeps them apart.
// argv: stateDir network subnet owner count — allocates for owner-0 .. owner-(count-1)
import { chapter } from '../../lib/impl.js';

const { Ipam } = await chapter.networking();
const [stateDir, network, subnet, owner, count = '1'] = process.argv.slice(2);
const ipam = new Ipam(stateDir);
for (let i = 0; i < Number(count); i++) console.log(ipam.allocate(network, subnet, `${owner}-${i}`));
