// Composition root of the recommender: the service kit runs its declaration.
import { runService } from '@oo/service';
import { recommender } from './service';

void runService(recommender);
