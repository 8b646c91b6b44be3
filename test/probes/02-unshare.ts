// Probe: unshareNamespaces(argv[2..]) with the implementation under test, then hold.
import { chapter } from '../../lib/impl.js';
import { holdAndReport } from './01-hold.js';
import type { NamespaceName } from '../../lib/sys/index.js';

const { unshareNamespaces } = await chapter.namespaces();
unshareNamespaces(process.argv.slice(2) as NamespaceName[]);
holdAndReport({ ok: true });
