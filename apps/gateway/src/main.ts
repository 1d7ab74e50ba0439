// Composition root of the gateway: the service kit runs its declaration.
import { runService } from '@oo/service';
import { gatewayService } from './service';

void runService(gatewayService);
