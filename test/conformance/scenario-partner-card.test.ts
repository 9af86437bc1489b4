import { replaySuite } from './suite';

replaySuite('scenario-partner-card.jsonl');
