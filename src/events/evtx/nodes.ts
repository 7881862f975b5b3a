/**
 * The decoded Binary XML tree: elements, attributes, literal text, substitution slots and template
 * instances (a template definition plus the values of one record). Templates are decoded once per
 * chunk into this tree; each record only decodes its values and renders the tree with them.
 */

export interface XElement {
  k: 0;
  name: string;
  attrs: XAttr[] | null;
  children: XNode[];
}

export interface XAttr {
  name: string;
  parts: XPart[];
}

/** A substitution slot: value `index` of the enclosing template instance. */
export interface XSubst {
  k: 1;
  index: number;
  type: number;
  optional: boolean;
}

/** A template instance: the definition's nodes rendered with this instance's values. */
export interface XInstance {
  k: 2;
  nodes: XNode[];
  /** Decoded values: a scalar/array, or nested nodes for BinXml (type 0x21) values. */
  vals: unknown[];
  /** Value type of each value as stored in the instance's descriptors. */
  types: ArrayLike<number>;
  /** Offset of each value in the chunk buffer (for full-precision FILETIMEs). */
  offs: ArrayLike<number>;
}

export type XPart = string | XSubst;
export type XNode = XElement | XSubst | XInstance | string;

/** A template definition, cached per chunk by its offset. */
export interface TemplateDef {
  offset: number;
  dataSize: number;
  nodes: XNode[];
}
