import { replaySuite } from './suite';

replaySuite('read.jsonl');
