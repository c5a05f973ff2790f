import * as fs from 'node:fs';
import * as path from 'node:path';

/** Folder of the built console (dist/admin-ui/browser), or undefined when it was not built. */
export function consoleDistPath(): string | undefined {
  const candidates = [
    path.resolve(__dirname, '..', '..', 'admin-ui', 'browser'), // dist/backend/console -> dist/admin-ui/browser
    path.resolve(__dirname, '..', '..', '..', 'dist', 'admin-ui', 'browser'), // backend/src/console (ts-node, jest)
  ];
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'index.html')));
}
