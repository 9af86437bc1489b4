import { replaySuite } from './suite';

replaySuite('scenario-program-commands.jsonl');
