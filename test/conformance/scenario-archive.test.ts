import { replaySuite } from './suite';

replaySuite('scenario-archive.jsonl');
