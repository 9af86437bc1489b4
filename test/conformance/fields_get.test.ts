import { replaySuite } from './suite';

replaySuite('fields_get.jsonl');
