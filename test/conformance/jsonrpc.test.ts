import { replaySuite } from './suite';

replaySuite('jsonrpc.jsonl');
