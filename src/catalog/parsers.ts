import type { Problem, Rule } from '../model/index.js';

/**
 * The vendor parsers, loaded on first use. They are written in parallel by other engineers; loading
 * them dynamically lets the catalog build (and say clearly which parser is missing) before they land.
 */
export interface ParseResult {
  rules: Rule[];
  problems: Problem[];
}

export interface Parsers {
  sigma?: (path: string) => ParseResult;
  elastic?: (path: string) => ParseResult;
  loadSplunkMacros?: (dir: string) => { macros: unknown; problems: Problem[] };
  splunk?: (path: string, macros: unknown) => ParseResult;
  /** Why a parser is missing, per vendor. */
  missing: Record<string, string>;
}

async function load(spec: string): Promise<Record<string, unknown> | string> {
  try {
    return (await import(spec)) as Record<string, unknown>;
  } catch (e) {
    return `cannot load ${spec}: ${(e as Error).message.split('\n')[0]}`;
  }
}

function fn<T>(mod: Record<string, unknown> | string, name: string, missing: Record<string, string>, vendor: string): T | undefined {
  if (typeof mod === 'string') {
    missing[vendor] = mod;
    return undefined;
  }
  const f = mod[name];
  if (typeof f !== 'function') {
    missing[vendor] = `the parser module does not export ${name}()`;
    return undefined;
  }
  return f as T;
}

let cached: Parsers | undefined;

export async function loadParsers(): Promise<Parsers> {
  if (cached) return cached;
  const missing: Record<string, string> = {};
  const sigma = await load('../formats/sigma/index.js');
  const elastic = await load('../formats/elastic/index.js');
  const splunk = await load('../formats/splunk/index.js');
  cached = {
    sigma: fn(sigma, 'parseSigmaCatalogFile', missing, 'sigma'),
    elastic: fn(elastic, 'parseElasticFile', missing, 'elastic'),
    loadSplunkMacros: fn(splunk, 'loadSplunkMacros', missing, 'splunk'),
    splunk: fn(splunk, 'parseSplunkFile', missing, 'splunk'),
    missing,
  };
  return cached;
}
