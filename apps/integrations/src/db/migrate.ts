// The integrations schema's migration entry point: `npm run migrate`, or `migrate.js` in the image.
import { runMigrationCommand } from '@oo/db';
import { integrationsMigrations } from './migrations';

runMigrationCommand({ schema: 'integrations', migrations: integrationsMigrations }).then((code) => process.exit(code));
