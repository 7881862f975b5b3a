/** Rule files larger than this are not rules (a module of its own: the rule cache checks it without loading the parser). */
export const MAX_RULE_FILE_BYTES = 1 << 20;
