// Composition root of auth: the service kit runs its declaration.
import { runService } from '@oo/service';
import { authService } from './service';

void runService(authService);
