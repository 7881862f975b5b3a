/**
 * The operator a predicate under a negation (not an exclusion) is counted as in the guide: `eq`
 * becomes `ne` and `ne` becomes `eq` (the model has both); every other operator is written
 * `not <op>` (`not contains`, `not in`, `not exists`, `not lt`...), so the guide never shows a
 * negated test as the positive one.
 */
/** SQL over the predicates table (columns op and negated): the operator the guide shows. */
export const SHOWN_OP_SQL = `CASE WHEN negated THEN CASE op WHEN 'eq' THEN 'ne' WHEN 'ne' THEN 'eq' ELSE 'not ' || op END ELSE op END`;
