/**
 * Python floats: the ORM wraps every value of a float or monetary field so that the
 * transports send 70.0, not 70. One class for the whole service: src/rpc/values.ts's Float.
 */
export { Float as PyFloat, pyFloat, isFloat as isPyFloat } from '../rpc/values';
