import { replaySuite } from './suite';

replaySuite('scenario-membership.jsonl');
