import { replaySuite } from './suite';

replaySuite('read_group.jsonl');
