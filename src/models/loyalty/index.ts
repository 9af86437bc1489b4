/** The write-side behaviour of the four loyalty models (defaults, stored computes, constraints, unlink rules). */
import './program-write';
import './rule-write';
import './reward-write';
import './card-write';
