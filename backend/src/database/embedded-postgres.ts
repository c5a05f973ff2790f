import { PGlite, type Extension } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import * as fs from 'node:fs';
import * as path from 'node:path';

// Contrib extensions the migrations create (PGlite loads them on demand). A subpath export that
// moduleResolution "node" cannot type, hence require() with the package's own Extension type.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pg_trgm } = require('@electric-sql/pglite/contrib/pg_trgm') as { pg_trgm: Extension };

export interface EmbeddedPostgres {
  /** postgres:// URL of the loopback socket that serves the PGlite database. */
  readonly url: string;
  readonly dataPath: string;
  stop(): Promise<void>;
}

/**
 * Claims DATA_DIR for this process: PGlite is single-process, and a second
 * process opening the same files would corrupt them.
 */
function claimDataDir(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockFile = path.join(dataDir, 'embedded.pid');
  try {
    const holder = Number(fs.readFileSync(lockFile, 'utf8'));
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new Error(
        `DATA_DIR ${dataDir} is in use by process ${holder}. Stop it, or set DATA_DIR to another folder.`,
      );
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.writeFileSync(lockFile, String(process.pid));
  return () => {
    try {
      if (fs.readFileSync(lockFile, 'utf8') === String(process.pid)) fs.unlinkSync(lockFile);
    } catch {
      /* already gone */
    }
  };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Starts PGlite (real PostgreSQL compiled to WASM) persisted under
 * `<dataDir>/pgdata`, and serves it on a free loopback port so that TypeORM
 * uses its ordinary `pg` driver: same SQL and migrations as production.
 */
export async function startEmbeddedPostgres(dataDir: string): Promise<EmbeddedPostgres> {
  const release = claimDataDir(dataDir);
  const dataPath = path.join(dataDir, 'pgdata');
  try {
    const db = await PGlite.create(dataPath, { extensions: { pg_trgm } });
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 });
    await server.start();
    const conn = server.getServerConn(); // "127.0.0.1:<port>"
    let stopped = false;
    return {
      url: `postgres://postgres@${conn}/postgres?sslmode=disable`,
      dataPath,
      async stop() {
        if (stopped) return;
        stopped = true;
        await server.stop();
        await db.close();
        release();
      },
    };
  } catch (err) {
    release();
    throw err;
  }
}
