// Composition root of the profile service: the service kit runs its declaration.
import { runService } from '@oo/service';
import { profile } from './service';

void runService(profile);
