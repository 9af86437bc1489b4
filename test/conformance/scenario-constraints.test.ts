import { replaySuite } from './suite';

replaySuite('scenario-constraints.jsonl');
