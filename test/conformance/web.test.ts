import { replaySuite } from './suite';

replaySuite('web.jsonl');
