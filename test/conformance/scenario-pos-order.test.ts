import { replaySuite } from './suite';

replaySuite('scenario-pos-order.jsonl');
