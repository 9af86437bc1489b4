import { replaySuite } from './suite';

replaySuite('errors.jsonl');
