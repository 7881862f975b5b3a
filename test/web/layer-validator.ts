/**
 * A validator of ATT&CK Navigator layer format 4.5: the required fields and the types of the optional
 * ones this project writes (name, versions, domain, techniques with techniqueID/score/..., gradient,
 * legend, layout). Returns the problems found; [] means valid.
 */
export function validateLayer45(l: unknown): string[] {
  const p: string[] = [];
  const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
  const type = (v: unknown, t: string, where: string): void => {
    if (t === 'array' ? !Array.isArray(v) : t === 'object' ? !isObj(v) : typeof v !== t) p.push(`${where} must be ${t}`);
  };
  const opt = (o: Record<string, unknown>, k: string, t: string, where: string): void => {
    if (k in o) type(o[k], t, `${where}.${k}`);
  };
  const color = (v: unknown, where: string, allowEmpty = false): void => {
    if (typeof v !== 'string' || !(allowEmpty && v === '') && !/^#[0-9a-fA-F]{6}$/.test(v)) p.push(`${where} must be a #rrggbb colour`);
  };
  if (!isObj(l)) return ['layer must be an object'];
  type(l.name, 'string', 'name');
  type(l.domain, 'string', 'domain');
  if (typeof l.domain === 'string' && !['enterprise-attack', 'mobile-attack', 'ics-attack'].includes(l.domain)) p.push('domain must name an ATT&CK domain');
  type(l.versions, 'object', 'versions');
  if (isObj(l.versions)) {
    if (l.versions.layer !== '4.5') p.push('versions.layer must be "4.5"');
    opt(l.versions, 'attack', 'string', 'versions');
    opt(l.versions, 'navigator', 'string', 'versions');
  }
  opt(l, 'description', 'string', 'layer');
  opt(l, 'sorting', 'number', 'layer');
  if (typeof l.sorting === 'number' && ![0, 1, 2, 3].includes(l.sorting)) p.push('sorting must be 0..3');
  opt(l, 'hideDisabled', 'boolean', 'layer');
  for (const k of ['showTacticRowBackground', 'selectTechniquesAcrossTactics', 'selectSubtechniquesWithParent', 'selectVisibleTechniques']) opt(l, k, 'boolean', 'layer');
  if ('tacticRowBackground' in l) color(l.tacticRowBackground, 'tacticRowBackground');
  if ('filters' in l) {
    type(l.filters, 'object', 'filters');
    if (isObj(l.filters) && 'platforms' in l.filters) {
      type(l.filters.platforms, 'array', 'filters.platforms');
      if (Array.isArray(l.filters.platforms) && l.filters.platforms.some((x) => typeof x !== 'string')) p.push('filters.platforms must hold strings');
    }
  }
  if ('layout' in l) {
    type(l.layout, 'object', 'layout');
    if (isObj(l.layout)) {
      if ('layout' in l.layout && !['side', 'flat', 'mini'].includes(String(l.layout.layout))) p.push('layout.layout must be side, flat or mini');
      if ('aggregateFunction' in l.layout && !['average', 'min', 'max', 'sum'].includes(String(l.layout.aggregateFunction))) p.push('layout.aggregateFunction invalid');
      if ('expandedSubtechniques' in l.layout && !['none', 'annotated', 'all'].includes(String(l.layout.expandedSubtechniques))) p.push('layout.expandedSubtechniques invalid');
      for (const k of ['showID', 'showName', 'showAggregateScores', 'countUnscored']) opt(l.layout, k, 'boolean', 'layout');
    }
  }
  type(l.techniques, 'array', 'techniques');
  if (Array.isArray(l.techniques)) {
    l.techniques.forEach((t, i) => {
      const w = `techniques[${i}]`;
      if (!isObj(t)) return void p.push(`${w} must be an object`);
      if (typeof t.techniqueID !== 'string' || !/^T\d{4}(\.\d{3})?$/.test(t.techniqueID)) p.push(`${w}.techniqueID must be a technique id`);
      if ('tactic' in t && (typeof t.tactic !== 'string' || !/^[a-z-]+$/.test(t.tactic))) p.push(`${w}.tactic must be a tactic short name`);
      if ('score' in t && (typeof t.score !== 'number' || !Number.isFinite(t.score))) p.push(`${w}.score must be a number`);
      if ('color' in t) color(t.color, `${w}.color`, true);
      opt(t, 'comment', 'string', w);
      opt(t, 'enabled', 'boolean', w);
      opt(t, 'showSubtechniques', 'boolean', w);
      for (const k of ['metadata', 'links']) opt(t, k, 'array', w);
    });
  }
  if ('gradient' in l) {
    const g = l.gradient;
    if (!isObj(g)) p.push('gradient must be an object');
    else {
      if (!Array.isArray(g.colors) || g.colors.length < 2) p.push('gradient.colors must hold at least two colours');
      else g.colors.forEach((c, i) => color(c, `gradient.colors[${i}]`));
      if (typeof g.minValue !== 'number' || typeof g.maxValue !== 'number') p.push('gradient.minValue/maxValue must be numbers');
      else if (g.minValue >= g.maxValue) p.push('gradient.minValue must be below maxValue');
    }
  }
  if ('legendItems' in l) {
    if (!Array.isArray(l.legendItems)) p.push('legendItems must be an array');
    else l.legendItems.forEach((x, i) => {
      if (!isObj(x) || typeof x.label !== 'string') p.push(`legendItems[${i}].label must be a string`);
      else color(x.color, `legendItems[${i}].color`);
    });
  }
  for (const k of ['metadata', 'links']) {
    if (!(k in l)) continue;
    if (!Array.isArray(l[k])) p.push(`${k} must be an array`);
    else (l[k] as unknown[]).forEach((m, i) => {
      if (!isObj(m) || (k === 'metadata' ? typeof m.name !== 'string' || typeof m.value !== 'string' : typeof m.label !== 'string' || typeof m.url !== 'string')) p.push(`${k}[${i}] malformed`);
    });
  }
  return p;
}
