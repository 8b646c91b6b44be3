// Probe: pull one image into a store with the implementation under test, in a process of
// its own, so that a test can run two pulls of the same image at once.
// argv: storeRoot reference — prints the ImageInfo's manifest digest and id as JSON
import { chapter } from '../../lib/impl.js';

const { ImageStore, pull } = await chapter.images();
const [root, ref] = process.argv.slice(2);
const image = await pull(new ImageStore(root), ref);
console.log(JSON.stringify({ manifestDigest: image.manifestDigest, id: image.id, layerDirs: image.layerDirs }));
