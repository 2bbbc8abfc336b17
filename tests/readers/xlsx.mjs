// Reads an XLSX workbook with ExcelJS, a reader independent of the library that wrote it, and prints its first sheet as
// JSON: the sheet's name, each row's cell values (text as text, numbers as numbers, empty cells as null), each cell's
// number format where it has one, and the address of every cell ExcelJS reads as a formula (there should be none).
// Usage (from the repository root): node tests/readers/xlsx.mjs file.xlsx
import ExcelJS from 'exceljs';

const workbook = new ExcelJS.Workbook();
await workbook.xlsx.readFile(process.argv[2]);
const sheet = workbook.worksheets[0];
const rows = [], formats = {}, formulas = [];
for (let r = 1; r <= sheet.rowCount; r++) {
  const row = sheet.getRow(r), values = [];
  for (let c = 1; c <= sheet.columnCount; c++) {
    const cell = row.getCell(c);
    if (cell.type === ExcelJS.ValueType.Formula || cell.formula) formulas.push(cell.address);
    values.push(cell.value ?? null);
    if (cell.numFmt) formats[cell.address] = cell.numFmt;
  }
  rows.push(values);
}
const frozen = (sheet.views ?? []).find(v => v.state === 'frozen')?.ySplit ?? 0;
process.stdout.write(JSON.stringify({ sheet: sheet.name, sheets: workbook.worksheets.length, frozen, rows, formats, formulas }));
