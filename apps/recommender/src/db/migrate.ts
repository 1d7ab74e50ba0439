// The recommender schema's migration entry point: `npm run migrate`, or `migrate.js` in the image.
import { runMigrationCommand } from '@oo/db';
import { recommenderMigrations } from './migrations';

runMigrationCommand({ schema: 'recommender', migrations: recommenderMigrations }).then((code) => process.exit(code));
