import { replaySuite } from './suite';

replaySuite('scenario-points.jsonl');
