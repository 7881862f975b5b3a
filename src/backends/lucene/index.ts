/** Lucene (query_string) backend: model trees on ECS fields to Lucene text. */
export { printLucene } from './print.js';
