import { replaySuite } from './suite';

replaySuite('access.jsonl');
