// Composition root of ml-serving: the service kit runs its declaration.
import { runService } from '@oo/service';
import { mlServing } from './service';

void runService(mlServing);
