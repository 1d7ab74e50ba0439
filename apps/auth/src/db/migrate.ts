// The auth schema's migration entry point: `npm run migrate`, or `migrate.js` in the image.
import { runMigrationCommand } from '@oo/db';
import { authMigrations } from './migrations';

runMigrationCommand({ schema: 'auth', migrations: authMigrations }).then((code) => process.exit(code));
