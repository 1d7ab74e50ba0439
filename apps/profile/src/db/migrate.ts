// The profile schema's migration entry point: `npm run migrate`, or `migrate.js` in the image.
import { runMigrationCommand } from '@oo/db';
import { profileMigrations } from './migrations';

runMigrationCommand({ schema: 'profile', migrations: profileMigrations }).then((code) => process.exit(code));
