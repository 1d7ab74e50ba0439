// Composition root of notifier: the service kit runs its declaration.
import { runService } from '@oo/service';
import { notifierService } from './service';

void runService(notifierService);
