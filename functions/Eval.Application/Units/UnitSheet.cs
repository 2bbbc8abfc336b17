using System.Globalization;
using System.IO.Compression;
using System.Text;
using Eval.Workflows.Domain;
using Eval.Workflows.Schemas;
using MiniExcelLibs;
using nietras.SeparatedValues;

namespace Eval.Application.Units;

/// <summary>Settings section "Units": the limits of an import of the tree from a file.</summary>
public sealed class UnitImportOptions
{
    public const string Section = "Units";

    /// <summary>The largest file taken (413 above it): Chifeng's whole tree, about 4,000 rows, is some 300 KB of CSV.</summary>
    public long MaxImportBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>The most rows a file may hold (413 above it).</summary>
    public int MaxImportRows { get; set; } = 20_000;

    /// <summary>
    /// The most an XLSX file may hold once unzipped (413 above it): a few megabytes of zip can unpack to gigabytes.
    /// </summary>
    public long MaxUnzippedBytes { get; set; } = 64 * 1024 * 1024;
}

/// <summary>A file as the API received it: its bytes and its media type (one of <see cref="UnitSheet.MediaTypes"/>).</summary>
public sealed record UnitFile(byte[] Bytes, string MediaType);

/// <summary>
/// The rows of a units file, CSV (UTF-8, with or without a BOM; read with Sep) or XLSX (its first sheet; read with
/// MiniExcel). The first row names the columns, in Chinese or English: 单位编码/id, 名称/name, 上级编码/parentId,
/// 类型/kind, 分类/category (only id and name are required; the kind follows from the id's depth). Kinds and categories may
/// be given by their Chinese names too (党支部, 嘎查村…). Rows are numbered as a spreadsheet shows them: the header is row
/// 1. Every error of every row is reported, each at /rows/{row}/{column}; empty rows are skipped.
/// </summary>
public sealed class UnitSheet
{
    public const string Csv = "text/csv";
    public const string Xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public static readonly IReadOnlyList<string> MediaTypes = [Csv, Xlsx];

    /// <summary>A row that reads as a unit, with its number in the file.</summary>
    public sealed record Row(int Number, Unit Unit);

    public required IReadOnlyList<Row> Rows { get; init; }

    static readonly Dictionary<string, string> Columns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["单位编码"] = "id", ["编码"] = "id", ["单位代码"] = "id", ["id"] = "id", ["code"] = "id",
        ["名称"] = "name", ["单位名称"] = "name", ["name"] = "name",
        ["上级编码"] = "parentId", ["上级单位编码"] = "parentId", ["上级代码"] = "parentId", ["parentid"] = "parentId",
        ["parent"] = "parentId",
        ["类型"] = "kind", ["单位类型"] = "kind", ["kind"] = "kind", ["type"] = "kind",
        ["分类"] = "category", ["支部分类"] = "category", ["类别"] = "category", ["category"] = "category",
    };

    static readonly Dictionary<string, string> KindNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["市"] = UnitKinds.City, ["盟市"] = UnitKinds.City, ["旗县区"] = UnitKinds.County, ["旗"] = UnitKinds.County,
        ["县"] = UnitKinds.County, ["区"] = UnitKinds.County, ["苏木乡镇"] = UnitKinds.Township,
        ["苏木乡镇街道"] = UnitKinds.Township, ["乡镇"] = UnitKinds.Township, ["苏木"] = UnitKinds.Township,
        ["街道"] = UnitKinds.Township, ["党支部"] = UnitKinds.Branch,
        ["支部"] = UnitKinds.Branch,
    };

    static readonly Dictionary<string, string> CategoryNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["嘎查村"] = BranchCategories.Village, ["村"] = BranchCategories.Village, ["嘎查"] = BranchCategories.Village,
        ["社区"] = BranchCategories.Community, ["机关事业单位"] = BranchCategories.Office, ["机关"] = BranchCategories.Office,
        ["两新组织"] = BranchCategories.Enterprise, ["两新"] = BranchCategories.Enterprise, ["企业"] = BranchCategories.Enterprise,
        ["学校"] = BranchCategories.School, ["其他"] = BranchCategories.Other,
    };

    const int MaxNameLength = 100;
    const string NeededColumns = "单位编码 (id) and 名称 (name) at least";
    const string KnownColumns = "单位编码/id, 名称/name, 上级编码/parentId, 类型/kind, 分类/category";
    const string KnownKinds = "city/市, county/旗县区, township/苏木乡镇 or branch/党支部";
    const string KnownCategories =
        "village/嘎查村, community/社区, office/机关事业单位, enterprise/两新组织, school/学校 or other/其他";

    public static Result<UnitSheet> Read(UnitFile file, UnitImportOptions options)
    {
        Result<List<string?[]>> table = file.MediaType == Xlsx ? ReadXlsx(file.Bytes, options) : ReadCsv(file.Bytes, options);
        return table.Ok ? FromTable(table.Value) : table.Problem;
    }

    static Result<List<string?[]>> ReadCsv(byte[] bytes, UnitImportOptions options)
    {
        string text;
        try
        {
            // Strict UTF-8 (a BOM, as Excel's "CSV UTF-8" writes, is dropped): a file saved in GBK is refused, not garbled.
            int bom = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? 3 : 0;
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, bom, bytes.Length - bom);
        }
        catch (DecoderFallbackException)
        {
            return Problem.Validation([new FieldError(JsonPointer.Root, "not UTF-8 text: save the file as CSV UTF-8")]);
        }
        var table = new List<string?[]>();
        try
        {
            using SepReader reader = Sep.New(',').Reader(o => o with { HasHeader = false, Unescape = true, DisableColCountCheck = true })
                .FromText(text);
            foreach (SepReader.Row row in reader)
            {
                if (table.Count > options.MaxImportRows) return TooManyRows(options);
                var cells = new string?[row.ColCount];
                for (int c = 0; c < row.ColCount; c++) cells[c] = row[c].ToString();
                table.Add(cells);
            }
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or NotSupportedException)
        {
            return Problem.Validation([new FieldError(JsonPointer.Root, "not a CSV file: " + e.Message)]);
        }
        return table;
    }

    static Result<List<string?[]>> ReadXlsx(byte[] bytes, UnitImportOptions options)
    {
        try
        {
            // Checked before the sheet is read: the entries' sizes as the zip declares them.
            using (var zip = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read))
                if (zip.Entries.Sum(e => e.Length) > options.MaxUnzippedBytes)
                    return Problem.TooLarge($"The workbook unpacks to more than {options.MaxUnzippedBytes} bytes.");
            var table = new List<string?[]>();
            foreach (IDictionary<string, object?> row in MiniExcel.Query(new MemoryStream(bytes), useHeaderRow: false,
                         excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>())
            {
                if (table.Count > options.MaxImportRows) return TooManyRows(options);
                table.Add([.. row.Values.Select(Cell)]);
            }
            return table;
        }
        catch (Exception e) when (e is InvalidDataException or InvalidOperationException or System.Xml.XmlException
                                      or KeyNotFoundException or FormatException or IndexOutOfRangeException or NullReferenceException)
        {
            return Problem.Validation([new FieldError(JsonPointer.Root, "not an XLSX workbook that can be read")]);
        }
    }

    static Problem TooManyRows(UnitImportOptions options) => Problem.TooLarge($"At most {options.MaxImportRows} rows are taken.");

    /// <summary>A cell's value as text: numbers as written in the invariant culture (an integer without ".0").</summary>
    static string? Cell(object? value) => value switch
    {
        null => null,
        string s => s,
        double d => d.ToString(CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    static Result<UnitSheet> FromTable(List<string?[]> table)
    {
        if (table.Count == 0 || table[0].All(string.IsNullOrWhiteSpace))
            return Problem.Validation([new FieldError("/rows/1", "the first row names the columns: " + NeededColumns)]);

        var errors = new List<FieldError>();
        var columns = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int c = 0; c < table[0].Length; c++)
        {
            string header = (table[0][c] ?? "").Trim();
            if (header.Length == 0) continue;
            if (!Columns.TryGetValue(header.Replace(" ", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal),
                    out string? field))
                errors.Add(new($"/rows/1/{c + 1}", $"'{header}' is not a column of units: {KnownColumns}"));
            else if (!columns.TryAdd(field, c)) errors.Add(new($"/rows/1/{c + 1}", $"a second column for {field}"));
        }
        foreach (string required in (string[])["id", "name"])
            if (!columns.ContainsKey(required)) errors.Add(new("/rows/1", $"no column for {required}: {NeededColumns}"));
        if (errors.Count > 0) return Problem.Validation(errors);

        var rows = new List<Row>();
        for (int r = 1; r < table.Count; r++)
        {
            string?[] cells = table[r];
            if (cells.All(string.IsNullOrWhiteSpace)) continue;
            int number = r + 1;
            string? Value(string field) => columns.TryGetValue(field, out int c) && c < cells.Length && cells[c] is { } v
                ? v.Trim() is { Length: > 0 } t ? t : null
                : null;
            string Where(string field) => $"/rows/{number}/{field}";
            int before = errors.Count;
            foreach (string field in columns.Keys)
                if (Value(field) is { } text && CleanText.Problem(text, TextField.SingleLine) is { } unclean)
                    errors.Add(new(Where(field), unclean));
            if (errors.Count > before) continue;

            string? id = Value("id"), name = Value("name"), parent = Value("parentId"), kind = Value("kind"), category = Value("category");
            if (id is null) errors.Add(new(Where("id"), "required"));
            else if (!UnitPath.IsValid(id))
                errors.Add(new(Where("id"), "a unit id: up to four dot-separated segments of a-z, 0-9 and '-', e.g. chifeng.hongshan.t01"));
            if (name is null) errors.Add(new(Where("name"), "required"));
            else if (name.Length > MaxNameLength) errors.Add(new(Where("name"), $"at most {MaxNameLength} characters"));
            string? kindId = kind is null ? null : KindNames.GetValueOrDefault(kind) ?? (UnitKinds.DepthOf(kind) > 0 ? kind : null);
            if (kind is not null && kindId is null)
                errors.Add(new(Where("kind"), KnownKinds));
            string? categoryId = category is null ? null
                : CategoryNames.GetValueOrDefault(category) ?? (BranchCategories.All.Contains(category) ? category : null);
            if (category is not null && categoryId is null)
                errors.Add(new(Where("category"), KnownCategories));
            if (id is null || !UnitPath.IsValid(id) || errors.Count > before) continue;
            if (parent is not null && parent != UnitPath.ParentOf(id))
                errors.Add(new(Where("parentId"), UnitPath.ParentOf(id) is { } p
                    ? $"the parent of {id} is {p} (an id is its parent's id and one more segment)"
                    : $"{id} is a city: it has no parent"));
            rows.Add(new Row(number, new Unit(id, name!, kindId ?? UnitPath.KindOf(id), categoryId)));
        }
        if (errors.Count > 0) return Problem.Validation(errors);
        if (rows.Count == 0) return Problem.Validation([new FieldError("/rows", "no units: every row after the first is empty")]);
        return new UnitSheet { Rows = rows };
    }
}
