// carton system df: how much disk images, containers and volumes take, and how much of it
// could be freed (images no container uses, stopped containers' layers, unused volumes).
import { existsSync } from 'node:fs';
import type { Command } from '../command.js';
import { openStore } from '../../runtime/images.js';
import { imagesInUse } from '../../runtime/image-users.js';
import { containerLayer } from '../../runtime/state.js';
import { listContainers } from '../../runtime/state.js';
import { cartonRoot } from '../../runtime/paths.js';
import { Volumes } from '../../../solutions/05-overlayfs/volumes.js';
import { treeSize } from '../../../solutions/07-images/layers.js';
import { table } from '../format.js';
import { bytes } from '../progress.js';

interface Row { type: string; total: number; active: number; size: number; reclaimable: number }

const sizeOf = (dir: string) => (existsSync(dir) ? treeSize(dir) : 0);

export async function diskUsage(): Promise<Row[]> {
  const { store } = await openStore();
  const images = store.list();
  const used = imagesInUse();
  // A layer shared by several images is counted once, and is reclaimable only if no used
  // image has it. Its size was recorded when it was unpacked: no tree is walked here.
  const layerSize = new Map<string, number>();
  const usedLayers = new Set<string>();
  for (const image of images) {
    const diffIds = image.config.rootfs.diff_ids;
    for (const d of diffIds) if (!layerSize.has(d)) layerSize.set(d, store.layerSize(d));
    if (used.has(image.id)) diffIds.forEach((d) => usedLayers.add(d));
  }
  const imageBytes = [...layerSize.values()].reduce((a, b) => a + b, 0);
  const usedBytes = [...usedLayers].reduce((a, d) => a + (layerSize.get(d) ?? 0), 0);

  const containers = listContainers();
  const upper = containers.map((c) => ({ c, size: sizeOf(containerLayer(c.id).upper) }));
  const running = (s: string) => s === 'running' || s === 'paused' || s === 'restarting';

  // The build cache: its intermediate images, and the layers no other image has.
  const cache = (await import('../../build/cache.js')).cachedImages();
  const cacheImages = images.filter((i) => cache.has(i.id) && !i.names.length);
  const otherLayers = new Set(images.filter((i) => !cacheImages.includes(i)).flatMap((i) => i.config.rootfs.diff_ids));
  const cacheLayers = new Set(cacheImages.flatMap((i) => i.config.rootfs.diff_ids).filter((d) => !otherLayers.has(d)));
  const cacheBytes = [...cacheLayers].reduce((a, d) => a + (layerSize.get(d) ?? 0), 0);

  const volumes = new Volumes(cartonRoot()).list();
  const mounted = new Set(containers.flatMap((c) => c.mounts.filter((m) => m.kind === 'volume').map((m) => m.source)));
  const vol = volumes.map((v) => ({ v, size: sizeOf(v.mountpoint) }));
  return [
    { type: 'Images', total: images.length, active: images.filter((i) => used.has(i.id)).length, size: imageBytes, reclaimable: imageBytes - usedBytes },
    { type: 'Containers', total: containers.length, active: containers.filter((c) => running(c.status)).length, size: upper.reduce((a, u) => a + u.size, 0), reclaimable: upper.filter((u) => !running(u.c.status)).reduce((a, u) => a + u.size, 0) },
    { type: 'Local Volumes', total: volumes.length, active: vol.filter((x) => mounted.has(x.v.name)).length, size: vol.reduce((a, x) => a + x.size, 0), reclaimable: vol.filter((x) => !mounted.has(x.v.name)).reduce((a, x) => a + x.size, 0) },
    { type: 'Build Cache', total: cacheImages.length, active: 0, size: cacheBytes, reclaimable: cacheBytes },
  ];
}

export const systemDf: Command = {
  name: 'system df', summary: 'Show carton disk usage', usage: '[OPTIONS]',
  flags: [{ name: 'format', kind: 'string', value: 'string', description: "'json' for one JSON object per type, or a Go template ('table {{.Type}}\\t{{.Size}}')" }],
  async run(flags) {
    const rows = await diskUsage();
    const percent = (r: Row) => (r.size ? ` (${Math.round((r.reclaimable / r.size) * 100)}%)` : '');
    const shaped = rows.map((r) => ({ Type: r.type, TotalCount: r.total, Active: r.active, Size: bytes(r.size), Reclaimable: bytes(r.reclaimable) + percent(r), SizeBytes: r.size, ReclaimableBytes: r.reclaimable }));
    if (flags.format === 'json') {
      process.stdout.write(shaped.map((r) => JSON.stringify(r) + '\n').join(''));
    } else if (typeof flags.format === 'string' && flags.format !== 'table') {
      const { renderRows } = await import('../template.js');
      process.stdout.write(renderRows(flags.format, shaped, { Type: 'TYPE', TotalCount: 'TOTAL', Active: 'ACTIVE', Size: 'SIZE', Reclaimable: 'RECLAIMABLE' }, table));
    } else {
      process.stdout.write(table([['TYPE', 'TOTAL', 'ACTIVE', 'SIZE', 'RECLAIMABLE'], ...rows.map((r) => [r.type, String(r.total), String(r.active), bytes(r.size), bytes(r.reclaimable) + percent(r)])]));
    }
    return 0;
  },
};
