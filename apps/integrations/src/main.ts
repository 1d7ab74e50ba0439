// Composition root of integrations: the service kit runs its declaration.
import { runService } from '@oo/service';
import { integrationsService } from './service';

void runService(integrationsService);
