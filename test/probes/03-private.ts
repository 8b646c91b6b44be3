// Probe (run under `unshare -m`): make our copy of the mount table shared, so there is
// propagation to undo, then makeMountsPrivate() with the implementation under test.
import * as sys from '../../lib/sys/index.js';
import { chapter } from '../../lib/impl.js';
import { holdAndReport } from './01-hold.js';

sys.mount(null, '/', null, sys.MS_REC | sys.MS_SHARED);
const { makeMountsPrivate } = await chapter.filesystem();
makeMountsPrivate();
holdAndReport({ ok: true });
