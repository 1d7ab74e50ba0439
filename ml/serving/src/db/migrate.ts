// The ml schema's migration entry point: `npm run migrate`, or `migrate.js` in the image.
import { runMigrationCommand } from '@oo/db';
import { mlServingMigrations } from './migrations';

runMigrationCommand({ schema: 'ml', migrations: mlServingMigrations }).then((code) => process.exit(code));
