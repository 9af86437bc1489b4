import { replaySuite } from './suite';

replaySuite('search.jsonl');
