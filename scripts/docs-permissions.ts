// Writes the role × permission matrix into docs/users-and-roles.md.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withPermissionMatrix } from '../backend/src/modules/auth/permission-matrix';

const file = path.join(__dirname, '..', 'docs', 'users-and-roles.md');
fs.writeFileSync(file, withPermissionMatrix(fs.readFileSync(file, 'utf8')));
process.stdout.write(`Updated ${path.relative(process.cwd(), file)}\n`);
