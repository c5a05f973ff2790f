import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DiskResourceDto, SystemResourcesDto } from '../system/dto/system-health.dto';

const pct = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0);

/** Free and total bytes of the filesystem holding `dir` (or its nearest existing parent). */
export async function diskUsage(dir: string): Promise<DiskResourceDto | null> {
  let current = path.resolve(dir);
  for (;;) {
    try {
      const stats = await fs.statfs(current);
      const totalBytes = stats.blocks * stats.bsize;
      const freeBytes = stats.bavail * stats.bsize;
      return { path: path.resolve(dir), totalBytes, freeBytes, usagePercent: pct(totalBytes - freeBytes, totalBytes) };
    } catch (err) {
      const parent = path.dirname(current);
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || parent === current) return null;
      current = parent;
    }
  }
}

export async function systemResources(dataDir: string): Promise<SystemResourcesDto> {
  const cores = os.availableParallelism();
  const load = os.loadavg()[0];
  const total = os.totalmem();
  const used = total - os.freemem();
  return {
    cpu: { cores, loadAverage1m: Math.round(load * 100) / 100, usagePercent: pct(load, cores) },
    memory: {
      totalBytes: total,
      usedBytes: used,
      usagePercent: pct(used, total),
      processRssBytes: process.memoryUsage.rss(),
    },
    disk: await diskUsage(dataDir),
  };
}
