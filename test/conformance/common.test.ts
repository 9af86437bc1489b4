import { replaySuite } from './suite';

replaySuite('common.jsonl');
