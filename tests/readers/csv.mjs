// Reads a CSV file with csv-parse, a parser independent of the library that wrote it (RFC 4180: quoted fields, doubled
// quotes, CRLF), and prints JSON: whether the file begins with a UTF-8 byte order mark, whether every line ends in CRLF,
// and its records as arrays of strings. Strict: a quote out of place or a record of another length fails (exit 1).
// Usage (from the repository root): node tests/readers/csv.mjs file.csv
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';

const bytes = readFileSync(process.argv[2]);
const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
const text = new TextDecoder('utf-8', { fatal: true }).decode(bom ? bytes.subarray(3) : bytes);
// Line ends outside quoted fields: every LF must follow a CR (a quoted field holds none in these files).
const crlf = text.endsWith('\r\n') && !/[^\r]\n/.test(text);
const records = parse(text, { relax_quotes: false, relax_column_count: false, skip_empty_lines: false });
process.stdout.write(JSON.stringify({ bom, crlf, records }));
