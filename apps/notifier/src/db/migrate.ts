// The notifier schema's migration entry point: `npm run migrate`, or `migrate.js` in the image.
import { runMigrationCommand } from '@oo/db';
import { notifierMigrations } from './migrations';

runMigrationCommand({ schema: 'notifier', migrations: notifierMigrations }).then((code) => process.exit(code));
