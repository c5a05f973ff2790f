import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import { ConfigValidationError } from '../../config/app-config';

/**
 * The access-token signing secret: JWT_SECRET, or in the embedded profile a
 * random one kept in DATA_DIR so sessions survive a restart. With
 * DATABASE_URL (several replicas) it must be given.
 */
export function resolveJwtSecret(config: AppConfig): string {
  if (config.auth.jwtSecret) return config.auth.jwtSecret;
  if (config.databaseUrl) {
    throw new ConfigValidationError([
      'JWT_SECRET is required with DATABASE_URL (the API replicas and the workers must share it: it signs access tokens and campaign tracking links)',
    ]);
  }
  const file = path.join(config.dataDir, 'secrets', 'jwt-secret');
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const secret = randomBytes(48).toString('base64url');
    fs.writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}
